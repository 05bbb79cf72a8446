import { Readable } from 'node:stream';
import { listLayer } from './layer-listing';
import { readSavedImage } from './saved-image';
import { compress, layerTar, savedTar, streamOf, type TestEntry } from './test/generated-image';

const LAYERS: TestEntry[][] = [
  [
    { path: 'etc', dir: true },
    { path: 'etc/hostname', file: 'box\n' },
    { path: 'bin', dir: true },
    { path: 'bin/tool', file: Buffer.alloc(3000, 1) },
    { path: 'bin/alias', symlink: 'tool' },
    { path: 'bin/same', hardlink: 'bin/tool' },
  ],
  [
    { path: 'etc', dir: true },
    { path: 'etc/.wh.hostname', file: '' },
    { path: 'bin', dir: true },
    { path: 'bin/tool', file: Buffer.alloc(10, 2) },
  ],
];

describe('reading a saved image as it streams', () => {
  for (const layout of ['docker', 'oci'] as const) {
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      for (const manifestFirst of [false, true]) {
        it(`lists every layer of a ${layout} layout with ${compression} layers, manifest ${manifestFirst ? 'first' : 'last'}`, async () => {
          const { tar, diffIds } = await savedTar({ layers: LAYERS, layout, compression, manifestFirst });
          const image = await readSavedImage(streamOf(tar));
          expect(image.diffIds).toEqual(diffIds);
          expect(image.layers.map((l) => l.compression)).toEqual([compression, compression]);
          expect(image.layers[0]).toMatchObject({
            paths: ['etc', 'etc/hostname', 'bin', 'bin/tool', 'bin/alias', 'bin/same'],
            kinds: ['d', 'f', 'd', 'f', 'l', 'h'],
            // a symlink weighs its target's length, a hardlink nothing (its file is counted once)
            sizes: [0, 4, 0, 3000, 4, 0],
          });
          expect(image.layers[1]!.paths).toEqual(['etc', 'etc/.wh.hostname', 'bin', 'bin/tool']);
          expect(image.config.history).toHaveLength(2);
        });
      }
    }
  }

  it('follows <id>/layer.tar symlinks into blobs/sha256/, as Engine 25+ saves', async () => {
    const { tar, diffIds } = await savedTar({
      layers: LAYERS,
      layout: 'docker',
      compression: 'gzip',
      symlinkedLayers: true,
    });
    const image = await readSavedImage(streamOf(tar));
    expect(image.diffIds).toEqual(diffIds);
    expect(image.layers.map((l) => l.paths.length)).toEqual([6, 4]);
  });

  it('keeps a digest of each file only when asked', async () => {
    const tar = await layerTar([
      { path: 'a', file: 'one' },
      { path: 'b', file: 'two' },
    ]);
    const plain = await listLayer(Readable.from([tar]));
    expect(plain.digests).toEqual([]);
    const hashed = await listLayer(Readable.from([tar]), { digests: true });
    expect(hashed.digests).toHaveLength(2);
    expect(hashed.digests[0]).not.toBe(hashed.digests[1]);
    expect(hashed.digests[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reads a layer followed by padding after its end-of-archive blocks', async () => {
    const tar = await layerTar([{ path: 'x', file: 'y' }]);
    const padded = Buffer.concat([tar, Buffer.alloc(20_480)]);
    const listing = await listLayer(streamOf(padded, 1000));
    expect(listing.paths).toEqual(['x']);
    expect(listing.storedBytes).toBe(padded.length);
  });

  it('reports stored bytes of a compressed layer, not its unpacked size', async () => {
    const tar = await layerTar([{ path: 'zeros', file: Buffer.alloc(100_000) }]);
    const gz = compress(tar, 'gzip');
    const listing = await listLayer(streamOf(gz));
    expect(listing.storedBytes).toBe(gz.length);
    expect(listing.sizes).toEqual([100_000]);
  });

  it('fails with a message naming the layer when a layer is truncated', async () => {
    const { tar } = await savedTar({ layers: LAYERS, layout: 'docker', compression: 'gzip' });
    // Cut the first layer's gzip stream short by corrupting bytes in its middle.
    const broken = Buffer.from(tar);
    const at = broken.indexOf(Buffer.from([0x1f, 0x8b]));
    broken.fill(0xff, at + 20, at + 60);
    await expect(readSavedImage(streamOf(broken))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/Layer .*layer\.tar .*could not be read/),
    });
  });

  it('says what is missing when the stream has no manifest', async () => {
    const tar = await layerTar([{ path: 'not-an-image', file: 'x' }]);
    await expect(readSavedImage(streamOf(tar))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('no readable config'),
      fix: expect.stringContaining('docker save'),
    });
  });
});
