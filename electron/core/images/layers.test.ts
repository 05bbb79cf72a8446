import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { ImageLayer } from '../../contract';
import { type ImageConfig, readImageConfig } from './image-config';
import {
  type BaseCandidate,
  baseImageName,
  type HistoryEntry,
  markBaseLayers,
  pairLayers,
  pickBaseImage,
} from './layers';

interface Fixture {
  builder: string;
  history: HistoryEntry[];
  config: ImageConfig;
}
const load = (builder: string): Fixture =>
  JSON.parse(readFileSync(new URL(`./fixtures/history-${builder}.json`, import.meta.url), 'utf8'));

describe.each(['legacy', 'buildkit'])('layers of an image built by the %s builder (recorded)', (builder) => {
  const fixture = load(builder);
  const layers = pairLayers(fixture.history, fixture.config);

  it('has one valid layer per history entry, bottom first', () => {
    expect(layers).toHaveLength(fixture.history.length);
    for (const layer of layers) expect(ImageLayer.parse(layer)).toEqual(layer);
    expect(layers.map((l) => l.index)).toEqual(layers.map((_, i) => i));
  });

  it('reads each Dockerfile instruction in order', () => {
    expect(layers.map((l) => l.instruction)).toEqual([
      '',
      'ARG GREETING=hi',
      'ENV APP_HOME=/app',
      'WORKDIR /app',
      expect.stringMatching(/^COPY (file:[0-9a-f]+ in |hello\.txt )\.\/$/),
      'RUN echo "$GREETING" > greeting.txt && head -c 3000 /dev/zero > pad.bin',
      expect.stringMatching(/^EXPOSE (5000|map\[5000\/tcp:\{\}\])$/),
      'CMD ["node" "-e" "1"]',
    ]);
  });

  it('pairs the non-empty entries with rootfs.diff_ids, in order', () => {
    const filled = layers.filter((l) => !l.empty);
    expect(filled.map((l) => l.diffId)).toEqual(fixture.config.rootfs?.diff_ids);
    expect(layers.filter((l) => l.empty).every((l) => l.diffId === null && l.size === 0)).toBe(true);
    expect(layers.map((l) => l.empty)).toEqual([false, true, true, false, false, false, true, true]);
  });

  it('takes sizes from the history: the COPY holds 17 bytes, the RUN 3000 + "hello\\n"', () => {
    expect(layers[4]?.size).toBe('hello from berth\n'.length);
    expect(layers[5]?.size).toBe(3000 + 'hello\n'.length);
    expect(layers[0]?.size).toBeGreaterThan(10_000_000);
    expect(layers[0]?.comment).toBe('Imported from -');
  });

  it('takes the creation time from the config, to the millisecond', () => {
    const created = fixture.config.history?.[5]?.created ?? '';
    expect(layers[5]?.created).toBe(Date.parse(created));
  });
});

describe('pairing without a config history', () => {
  it('falls back to the engine history, counting size 0 as empty', () => {
    const { history } = load('legacy');
    const layers = pairLayers(history, { rootfs: { diff_ids: ['sha256:a', 'sha256:b', 'sha256:c'] } });
    expect(layers.filter((l) => !l.empty).map((l) => l.diffId)).toEqual(['sha256:a', 'sha256:b', 'sha256:c']);
  });
});

/** A `docker save` tar in memory: the files in order. */
function saveTar(files: Array<[string, string | Buffer]>): Readable {
  const tar = pack();
  for (const [name, body] of files) tar.entry({ name }, body);
  tar.finalize();
  return Readable.from(tar as unknown as AsyncIterable<Buffer>);
}

describe('reading the image config from docker save output', () => {
  const { config } = load('legacy');
  const configJson = JSON.stringify(config);
  const configHex = 'a'.repeat(64);
  const layerBytes = Buffer.alloc(1 << 20, 7);

  it('reads the classic layout, where manifest.json comes after the layers', async () => {
    const tar = saveTar([
      [`${'0'.repeat(64)}/layer.tar`, layerBytes],
      [`${'0'.repeat(64)}/json`, '{"id":"layer"}'],
      [`${configHex}.json`, configJson],
      ['manifest.json', JSON.stringify([{ Config: `${configHex}.json`, RepoTags: ['x:1'], Layers: [] }])],
      ['repositories', '{}'],
    ]);
    expect(await readImageConfig(tar)).toEqual(config);
  });

  it('reads the OCI layout through index.json when there is no manifest.json', async () => {
    const manifestHex = 'b'.repeat(64);
    const indexHex = 'c'.repeat(64);
    const tar = saveTar([
      [`blobs/sha256/${'d'.repeat(64)}`, layerBytes],
      [`blobs/sha256/${configHex}`, configJson],
      [`blobs/sha256/${indexHex}`, JSON.stringify({ manifests: [{ digest: `sha256:${manifestHex}` }] })],
      [`blobs/sha256/${manifestHex}`, JSON.stringify({ config: { digest: `sha256:${configHex}` }, layers: [] })],
      ['index.json', JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${indexHex}` }] })],
      ['oci-layout', '{"imageLayoutVersion":"1.0.0"}'],
    ]);
    expect(await readImageConfig(tar)).toEqual(config);
  });

  it('reads the OCI layout through its manifest.json (Engine 25+)', async () => {
    const tar = saveTar([
      [`blobs/sha256/${configHex}`, configJson],
      ['index.json', JSON.stringify({ manifests: [] })],
      ['manifest.json', JSON.stringify([{ Config: `blobs/sha256/${configHex}` }])],
    ]);
    expect(await readImageConfig(tar)).toEqual(config);
  });

  it('stops reading once it has the manifest and the config', async () => {
    const tar = saveTar([
      [`${configHex}.json`, configJson],
      ['manifest.json', JSON.stringify([{ Config: `${configHex}.json` }])],
      ['zz-big-trailer', Buffer.alloc(4 << 20)],
    ]);
    await readImageConfig(tar);
    expect(tar.destroyed).toBe(true);
  });

  it('fails with a clear error when the tar has no manifest', async () => {
    await expect(readImageConfig(saveTar([['hello.txt', 'hi']]))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('no readable config'),
    });
  });
});

describe('naming the base image', () => {
  const layer = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
  const image = (id: string, tags: string[], created: number, layers: number[]): BaseCandidate => ({
    id: `sha256:${id.repeat(64).slice(0, 64)}`,
    tags,
    created,
    diffIds: layers.map(layer),
  });
  const ours = image('f', ['app:1'], 100, [1, 2, 3, 4]);

  it('picks the local image whose layers are the longest prefix of ours', () => {
    const alpine = image('a', ['alpine:3'], 10, [1]);
    const node = image('b', ['node:22-alpine'], 20, [1, 2, 3]);
    const other = image('c', ['busybox:1'], 5, [9]);
    expect(pickBaseImage(ours, [alpine, other, node])).toBe(node);
  });

  it('ignores ourselves, newer images (our children) and images that differ in a layer', () => {
    const child = image('d', ['app:2'], 200, [1, 2, 3]);
    const forked = image('e', ['fork:1'], 20, [1, 7, 3]);
    expect(pickBaseImage(ours, [ours, child, forked])).toBeNull();
  });

  it('takes the oldest of images with the same layers (the others are siblings built on the base)', () => {
    const base = image('a', ['node:22-alpine'], 10, [1, 2, 3, 4]);
    const sibling = image('b', ['labelled:1'], 50, [1, 2, 3, 4]);
    expect(pickBaseImage(ours, [sibling, base])).toBe(base);
  });

  it('names the base by its tag, or its short id when untagged', () => {
    expect(baseImageName(image('a', ['node:22-alpine'], 1, [1]))).toBe('node:22-alpine');
    expect(baseImageName(image('a', ['<none>:<none>'], 1, [1]))).toBe('aaaaaaaaaaaa');
  });

  it("marks exactly the base's history entries", () => {
    const fixture = load('buildkit');
    const layers = markBaseLayers(pairLayers(fixture.history, fixture.config), 'node:22-alpine', 2);
    expect(layers.map((l) => l.baseImage)).toEqual(layers.map((_, i) => (i < 2 ? 'node:22-alpine' : undefined)));
    for (const l of layers) expect(ImageLayer.parse(l)).toEqual(l);
  });
});
