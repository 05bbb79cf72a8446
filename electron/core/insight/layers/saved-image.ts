/**
 * `docker save` output (GET /images/{name}/get) read once, as it streams: the classic layout (manifest.json,
 * <id>/layer.tar) and the OCI layout (index.json, blobs/sha256/...). The order of the outer tar's entries is not
 * guaranteed (classic saves put manifest.json last), so every layer is listed as it passes, keyed by its entry
 * name, and matched to its place in the image once the manifest is known. Only listings and small JSON
 * entries are kept; no layer content is held in memory or written anywhere.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { BerthError } from '../../../contract';
import {
  configFrom,
  type ImageConfig,
  JSON_CANDIDATE,
  looksLikeJson,
  MAX_JSON_BYTES,
  savedLayout,
} from '../../images/image-config';
import { type LayerListing, type ListingOptions, listLayer, peek } from './layer-listing';

export interface SavedImage {
  config: ImageConfig;
  /** The image's layers, bottom first, in rootfs.diff_ids order. */
  layers: LayerListing[];
  diffIds: string[];
}

export interface SavedImageOptions extends ListingOptions {
  /** Told each time a layer has been listed (in the tar's order, before its place in the image is known). */
  onLayerListed?: (name: string, listing: LayerListing) => void;
}

const LAYER_ENTRY = /(?:^|\/)layer\.tar$|^blobs\/[a-z0-9]+\/[0-9a-f]{64}$/;
const strip = (name: string) => name.replace(/^(?:\.\/)+/, '');

/** Reads a whole `docker save` stream; destroys it on failure. */
export async function readSavedImage(saved: Readable, options: SavedImageOptions = {}): Promise<SavedImage> {
  const tar = extract();
  const json = new Map<string, Buffer>();
  const listings = new Map<string, LayerListing>();
  const failures = new Map<string, unknown>();
  const aliases = new Map<string, string>();
  saved.on('error', (error) => tar.destroy(error));
  saved.pipe(tar);
  try {
    for await (const entry of tar) {
      const { header } = entry;
      const name = strip(header.name);
      if (header.type === 'symlink' && header.linkname) {
        aliases.set(name, posix.normalize(posix.join(posix.dirname(name), header.linkname)));
      }
      const candidate = JSON_CANDIDATE.test(name) && (header.size ?? 0) <= MAX_JSON_BYTES;
      const layer = LAYER_ENTRY.test(name);
      if (header.type !== 'file' || !(candidate || layer)) {
        for await (const _ of entry); // drained, never kept
        continue;
      }
      const { head, rest } = await peek((entry as AsyncIterable<Buffer>)[Symbol.asyncIterator](), 1);
      if (candidate && looksLikeJson(head)) {
        const chunks: Buffer[] = [];
        for await (const chunk of rest) chunks.push(chunk);
        json.set(name, Buffer.concat(chunks));
      } else if (layer) {
        try {
          const listing = await listLayer(rest, options);
          listings.set(name, listing);
          options.onLayerListed?.(name, listing);
        } catch (error) {
          failures.set(name, error); // only an error if the manifest names this blob as a layer
        }
        for await (const _ of rest); // whatever follows the layer's end-of-archive blocks
      } else {
        for await (const _ of rest);
      }
    }
  } catch (error) {
    saved.destroy();
    throw error;
  }
  return assemble(json, listings, failures, aliases);
}

function assemble(
  json: Map<string, Buffer>,
  listings: Map<string, LayerListing>,
  failures: Map<string, unknown>,
  aliases: Map<string, string>,
): SavedImage {
  const config = configFrom(json);
  const layout = savedLayout(json);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers = (layout?.layers ?? []).map((path) => {
    const name = aliases.get(strip(path)) ?? strip(path);
    const listing = listings.get(name);
    if (listing) return listing;
    const failure = failures.get(name);
    throw new BerthError(
      'INTERNAL',
      failure
        ? `Layer ${name} of the saved image could not be read: ${failure instanceof Error ? failure.message : String(failure)}`
        : `The saved image names layer ${name}, but the engine's tar does not contain it.`,
      'Check that the engine can save this image: docker save IMAGE > /dev/null',
    );
  });
  if (layers.length !== diffIds.length) {
    throw new BerthError(
      'INTERNAL',
      `The saved image has ${layers.length} layers, but its config lists ${diffIds.length} diff ids.`,
      'Check that the engine can save this image: docker save IMAGE > /dev/null',
    );
  }
  return { config, layers, diffIds };
}
