/**
 * Test support: `docker save`-shaped tars made in memory. Layers are tars of given entries, plain, gzip or zstd;
 * images are classic (manifest.json, <id>/layer.tar) or OCI (index.json, blobs/sha256/...) layouts, with the
 * manifest before or after the layers. Not part of the app.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { EntryKind, LayerListing } from '../layer-listing';

export type TestEntry =
  | { path: string; file: string | Buffer }
  | { path: string; dir: true }
  | { path: string; symlink: string }
  | { path: string; hardlink: string };

async function tarOf(
  entries: Array<{ name: string; body?: Buffer; type?: 'directory' | 'symlink' | 'link'; linkname?: string }>,
) {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve) => tar.on('end', () => resolve()));
  for (const e of entries) {
    if (e.type) tar.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else tar.entry({ name: e.name }, e.body ?? Buffer.alloc(0));
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

export function layerTar(entries: TestEntry[]): Promise<Buffer> {
  return tarOf(
    entries.map((e) => {
      if ('file' in e) return { name: e.path, body: Buffer.from(e.file) };
      if ('dir' in e) return { name: `${e.path}/`, type: 'directory' as const };
      if ('symlink' in e) return { name: e.path, type: 'symlink' as const, linkname: e.symlink };
      return { name: e.path, type: 'link' as const, linkname: e.hardlink };
    }),
  );
}

export type Compression = 'none' | 'gzip' | 'zstd';

export function compress(tar: Buffer, how: Compression): Buffer {
  if (how === 'gzip') return gzipSync(tar);
  if (how === 'zstd') return execFileSync('zstd', ['-q', '-c'], { input: tar });
  return tar;
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export interface TestImage {
  layers: TestEntry[][];
  layout: 'docker' | 'oci';
  compression?: Compression;
  /** Docker layout with each <id>/layer.tar a symlink into blobs/sha256/ (as Engine 25+ writes it). */
  symlinkedLayers?: boolean;
  /** Put manifest.json / index.json before the layers (default: after, as classic saves do). */
  manifestFirst?: boolean;
}

/** The whole saved tar of an image, as one buffer, and its diff ids. */
export async function savedTar(image: TestImage): Promise<{ tar: Buffer; diffIds: string[] }> {
  const plain = await Promise.all(image.layers.map(layerTar));
  const stored = plain.map((t) => compress(t, image.compression ?? 'none'));
  const diffIds = plain.map((t) => `sha256:${sha(t)}`);
  const config = Buffer.from(
    JSON.stringify({
      history: image.layers.map((_, i) => ({ created_by: `RUN step ${i}` })),
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
  const configDigest = sha(config);
  const meta: Array<{ name: string; body: Buffer }> = [];
  const blobs: Array<{ name: string; body?: Buffer; type?: 'symlink'; linkname?: string }> = [];
  if (image.layout === 'docker' && image.symlinkedLayers) {
    // Engine 25+: the layers live in blobs/sha256/, and <id>/layer.tar are symlinks to them (listed first here).
    const names = stored.map((t) => `${sha(t)}/layer.tar`);
    stored.forEach((t, i) => {
      blobs.unshift({ name: names[i]!, type: 'symlink', linkname: `../blobs/sha256/${sha(t)}` });
      blobs.push({ name: `blobs/sha256/${sha(t)}`, body: t });
    });
    blobs.push({ name: `${configDigest}.json`, body: config });
    meta.push({
      name: 'manifest.json',
      body: Buffer.from(JSON.stringify([{ Config: `${configDigest}.json`, RepoTags: ['x:1'], Layers: names }])),
    });
  } else if (image.layout === 'docker') {
    const names = stored.map((t) => `${sha(t)}/layer.tar`);
    stored.forEach((t, i) => {
      blobs.push({ name: names[i]!, body: t });
    });
    blobs.push({ name: `${configDigest}.json`, body: config });
    meta.push({
      name: 'manifest.json',
      body: Buffer.from(JSON.stringify([{ Config: `${configDigest}.json`, RepoTags: ['x:1'], Layers: names }])),
    });
  } else {
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { digest: `sha256:${configDigest}`, size: config.length },
        layers: stored.map((t) => ({ digest: `sha256:${sha(t)}`, size: t.length })),
      }),
    );
    for (const t of [...stored, config, manifest]) blobs.push({ name: `blobs/sha256/${sha(t)}`, body: t });
    meta.push({
      name: 'index.json',
      body: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${sha(manifest)}` }] })),
    });
    meta.push({ name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  }
  const order = image.manifestFirst ? [...meta, ...blobs] : [...blobs, ...meta];
  return { tar: await tarOf(order), diffIds };
}

/** A buffer as a stream in small chunks, the way a socket delivers it. */
export function streamOf(buffer: Buffer, chunk = 7919): Readable {
  async function* chunks() {
    for (let at = 0; at < buffer.length; at += chunk) yield buffer.subarray(at, at + chunk);
  }
  return Readable.from(chunks());
}

/** A layer listing from [path, size, digest?] triples, for the pure tests; a path ending in / is a directory. */
export function listingOf(entries: Array<[string, number, string?]>): LayerListing {
  return {
    paths: entries.map(([p]) => p.replace(/\/$/, '')),
    kinds: entries.map(([p]): EntryKind => (p.endsWith('/') ? 'd' : 'f')),
    sizes: entries.map(([, s]) => s),
    digests: entries.map(([, , d]) => d ?? ''),
    storedBytes: 0,
    compression: 'none',
  };
}
