/**
 * What the layer benchmarks check both sides against: the layers of an image's `docker save` tar as the docker
 * CLI and tar see them (the layer entries' bytes and the whole tar's size). Engine 20.10 writes the classic layout.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SavedTarFacts {
  /** Bytes of the whole `docker save` output. */
  tarBytes: number;
  /** Sum of the layer tar entries' sizes (what a layer reader must read). */
  layerBytes: number;
  /** The image's diff ids, bottom first (`docker image inspect`). */
  diffIds: string[];
}

/** Two saves, checked by the CLI alone: `docker save IMG | wc -c`, and `docker save IMG | tar -tv` for the layer entries. */
export async function savedTarFacts(image: string): Promise<SavedTarFacts> {
  const bash = async (script: string) =>
    (await run('bash', ['-c', `set -o pipefail; ${script}`], { maxBuffer: 64 << 20 })).stdout;
  const tarBytes = Number((await bash(`docker save "${image}" | wc -c`)).trim());
  let layerBytes = 0;
  for (const line of (await bash(`docker save "${image}" | tar -tv`)).split('\n')) {
    // -rw-r--r-- 0/0  1234 2026-01-01 00:00 <id>/layer.tar   (or blobs/sha256/<hex> in OCI layouts)
    const m = /^-\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(\S+)$/.exec(line);
    if (m && /(?:^|\/)layer\.tar$/.test(m[2]!)) layerBytes += Number(m[1]);
  }
  const inspect = await run('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image]);
  return { tarBytes, layerBytes, diffIds: JSON.parse(inspect.stdout) as string[] };
}

/** The differences between what Berth read and what the CLI's save holds (none when they did the same work). */
export function sameLayers(facts: SavedTarFacts, berth: { diffIds: string[]; storedBytes: number }): string[] {
  const differences: string[] = [];
  if (JSON.stringify(berth.diffIds) !== JSON.stringify(facts.diffIds)) {
    differences.push(
      `Berth read layers ${berth.diffIds.length}, the image has ${facts.diffIds.length} (or in another order)`,
    );
  }
  if (berth.storedBytes !== facts.layerBytes) {
    differences.push(`Berth read ${berth.storedBytes} layer bytes, the saved tar holds ${facts.layerBytes}`);
  }
  return differences;
}
