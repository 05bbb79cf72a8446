/**
 * Reads the image config (history with empty_layer, rootfs.diff_ids) out of `docker save` output
 * (GET /images/{name}/get). Only small JSON entries are kept: manifest.json, index.json and the config;
 * layer blobs are drained without being buffered. Handles the classic layout (<id>.json, <id>/layer.tar)
 * and the OCI layout (index.json, blobs/sha256/...) that Engine 25+ writes.
 */
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { BerthError } from '../../contract';

export interface ImageConfigHistory {
  created?: string;
  created_by?: string;
  empty_layer?: boolean;
  comment?: string;
}

export interface ImageConfig {
  history?: ImageConfigHistory[];
  rootfs?: { diff_ids?: string[] };
}

/** Image configs and manifests are a few KB; anything bigger is a layer. */
const MAX_JSON_BYTES = 8 << 20;
const JSON_CANDIDATE = /^(?:manifest\.json|index\.json|[0-9a-f]{64}\.json|blobs\/sha256\/[0-9a-f]{64})$/;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** The entry's bytes when it is JSON; otherwise drains it and returns undefined. */
async function jsonBytes(entry: AsyncIterable<Buffer>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let isJson: boolean | undefined;
  for await (const chunk of entry) {
    if (isJson === undefined && chunk.length > 0) {
      const first = chunk.toString('latin1').trimStart().charCodeAt(0);
      isJson = first === OPEN_BRACE || first === OPEN_BRACKET;
    }
    if (isJson) chunks.push(chunk);
  }
  return isJson ? Buffer.concat(chunks) : undefined;
}

const parse = (bytes: Buffer | undefined): unknown => (bytes ? JSON.parse(bytes.toString('utf8')) : undefined);
const blobPath = (digest: unknown): string => `blobs/${String(digest).replace(':', '/')}`;

/** The config's path in the tar, from manifest.json or by walking index.json (nested indexes too). */
function configPath(files: Map<string, Buffer>): string | undefined {
  const manifest = parse(files.get('manifest.json')) as Array<{ Config?: string }> | undefined;
  if (manifest?.[0]?.Config) return manifest[0].Config;
  let node = parse(files.get('index.json')) as { manifests?: Array<{ digest?: string }>; config?: { digest?: string } };
  for (let depth = 0; node && depth < 4; depth += 1) {
    if (node.config?.digest) return blobPath(node.config.digest);
    const next = node.manifests?.[0]?.digest;
    node = next ? (parse(files.get(blobPath(next))) as typeof node) : (undefined as unknown as typeof node);
  }
  return undefined;
}

/** The image config from a `docker save` stream; destroys the stream once it has what it needs. */
export async function readImageConfig(saved: Readable): Promise<ImageConfig> {
  const tar = extract();
  const files = new Map<string, Buffer>();
  saved.on('error', (error) => tar.destroy(error));
  saved.pipe(tar);
  try {
    for await (const entry of tar) {
      const name = entry.header.name.replace(/^\.\//, '');
      const wanted = entry.header.type === 'file' && (entry.header.size ?? 0) <= MAX_JSON_BYTES;
      if (!wanted || !JSON_CANDIDATE.test(name)) {
        for await (const _ of entry); // drain a layer without keeping it
        continue;
      }
      const bytes = await jsonBytes(entry as unknown as AsyncIterable<Buffer>);
      if (bytes) files.set(name, bytes);
      const path = configPath(files);
      if (path && files.has(path)) break;
    }
  } finally {
    saved.destroy();
  }
  const path = configPath(files);
  const config = path ? parse(files.get(path)) : undefined;
  if (!config || typeof config !== 'object') {
    throw new BerthError(
      'INTERNAL',
      'The saved image has no readable config (manifest.json or index.json is missing).',
      'Check that the engine can save this image: docker save IMAGE > /dev/null',
    );
  }
  return config as ImageConfig;
}
