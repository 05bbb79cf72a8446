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
export const MAX_JSON_BYTES = 8 << 20;
export const JSON_CANDIDATE = /^(?:manifest\.json|index\.json|[0-9a-f]{64}\.json|blobs\/sha256\/[0-9a-f]{64})$/;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** Whether an entry whose content starts with `head` is JSON (a manifest, index or config), not a layer. */
export function looksLikeJson(head: Buffer): boolean {
  const first = head.toString('latin1').trimStart().charCodeAt(0);
  return first === OPEN_BRACE || first === OPEN_BRACKET;
}

/** The entry's bytes when it is JSON; otherwise drains it and returns undefined. */
async function jsonBytes(entry: AsyncIterable<Buffer>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let isJson: boolean | undefined;
  for await (const chunk of entry) {
    if (isJson === undefined && chunk.length > 0) isJson = looksLikeJson(chunk);
    if (isJson) chunks.push(chunk);
  }
  return isJson ? Buffer.concat(chunks) : undefined;
}

const parse = (bytes: Buffer | undefined): unknown => (bytes ? JSON.parse(bytes.toString('utf8')) : undefined);
const blobPath = (digest: unknown): string => `blobs/${String(digest).replace(':', '/')}`;

/** Where the saved tar keeps the config and the layers (bottom first), by the paths of their entries. */
export interface SavedLayout {
  config: string;
  layers: string[];
}

interface OciNode {
  manifests?: Array<{ digest?: string }>;
  config?: { digest?: string };
  layers?: Array<{ digest?: string }>;
}

/**
 * The layout, from manifest.json (classic, and Engine 25+ which still writes it) or else by walking index.json
 * to the first image manifest (nested indexes too). Undefined until the JSON entries needed have been seen.
 */
export function savedLayout(files: Map<string, Buffer>): SavedLayout | undefined {
  const manifest = parse(files.get('manifest.json')) as Array<{ Config?: string; Layers?: string[] }> | undefined;
  if (manifest?.[0]?.Config) return { config: manifest[0].Config, layers: manifest[0].Layers ?? [] };
  let node = parse(files.get('index.json')) as OciNode | undefined;
  for (let depth = 0; node && depth < 4; depth += 1) {
    if (node.config?.digest) {
      return { config: blobPath(node.config.digest), layers: (node.layers ?? []).map((l) => blobPath(l.digest)) };
    }
    const next = node.manifests?.[0]?.digest;
    node = next ? (parse(files.get(blobPath(next))) as OciNode | undefined) : undefined;
  }
  return undefined;
}

const configPath = (files: Map<string, Buffer>): string | undefined => savedLayout(files)?.config;

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
  return configFrom(files);
}

/** The image config among the saved tar's JSON entries; throws when there is none. */
export function configFrom(files: Map<string, Buffer>): ImageConfig {
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
