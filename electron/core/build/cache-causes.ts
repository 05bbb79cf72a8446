/**
 * At the end of a build, before its record is written: what each step depended on (with the base images'
 * digests from the engine), and why each step that missed did, against the previous record of the same project.
 * The logic is core/insight's; this file fetches what it needs: the engine's image ids, the previous record, and
 * the records folder's fingerprint key (secret-looking values are compared by keyed fingerprint, never stored).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { type BuildModel, type CacheExplanation, previousOfSameProject } from '../../contract';
import { baseRefs, explainMisses, type StepInput, stepInputs, withDigests } from '../insight';
import type { ContextFile } from './context';
import { listRecords, readRecord } from './records';

/** The one file in the records folder that is not a record: the fingerprint key (0600). */
export const FINGERPRINT_KEY_FILE = '.fingerprint-key';

/** The records folder's random key for fingerprints of secret values, made (0600) on first use. */
async function fingerprintKey(dir: string): Promise<Buffer> {
  const path = join(dir, FINGERPRINT_KEY_FILE);
  const existing = await readFile(path).catch(() => null);
  if (existing && existing.length >= 32) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    const file = await open(path, 'wx', 0o600);
    await file.writeFile(key);
    await file.close();
    return key;
  } catch {
    return readFile(path); // made meanwhile by another build
  }
}

/** The engine's image id of each reference; null for one it does not have (or `scratch`). */
async function imageIds(docker: Dockerode, refs: string[]): Promise<Map<string, string | null>> {
  const ids = new Map<string, string | null>();
  for (const ref of refs) {
    const info =
      ref === 'scratch' || ref === ''
        ? null
        : await docker
            .getImage(ref)
            .inspect()
            .catch(() => null);
    ids.set(ref, (info as { Id?: string } | null)?.Id ?? null);
  }
  return ids;
}

/** The keyed fingerprint of a secret value, with the records folder's key: equal values give equal prints. */
export async function fingerprinter(recordsDir: string): Promise<(value: string) => string> {
  const key = await fingerprintKey(recordsDir);
  return (value) => createHmac('sha256', key).update(value).digest('hex').slice(0, 32);
}

/** The inputs of each step of this build, digests included. */
export async function recordedInputs(
  docker: Dockerode,
  recordsDir: string,
  source: string,
  model: BuildModel,
): Promise<StepInput[]> {
  const inputs = stepInputs(source, {
    builder: model.builder,
    target: model.request.target,
    buildArgs: model.request.buildArgs,
    fingerprint: await fingerprinter(recordsDir),
  });
  return withDigests(inputs, await imageIds(docker, baseRefs(inputs)));
}

/** Why each step of this finished build missed, against the latest earlier record of its project. */
export async function explainBuild(
  recordsDir: string,
  model: BuildModel,
  inputs: StepInput[],
  files: ContextFile[] | null,
): Promise<CacheExplanation> {
  const summaries = await listRecords(recordsDir);
  const { contextDir, dockerfile, target } = model.request;
  const here = { buildId: model.buildId, at: model.startedAt, contextDir, dockerfile, target: target ?? null };
  const before = previousOfSameProject([...summaries.filter((s) => s.buildId !== model.buildId), here], here);
  const previous = before ? await readRecord(recordsDir, before.buildId).catch(() => null) : null;
  return explainMisses(
    { buildId: model.buildId, steps: model.steps, inputs, files, noCache: model.request.noCache },
    previous && {
      buildId: previous.buildId,
      steps: previous.steps,
      inputs: previous.inputs ?? null,
      files: previous.context?.files ?? null,
    },
  );
}
