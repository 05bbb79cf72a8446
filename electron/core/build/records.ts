/**
 * Build records: one JSON file per finished build in the app's records folder, written once, atomically.
 * Records are private to the user (folder 0700, files 0600), and the values of build args whose names look
 * secret (TOKEN, PASSWORD, SECRET, KEY, ...) never reach them: they are masked wherever they appear.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BerthError,
  BuildModel,
  BuildRecordSummary,
  describeCause,
  looksSecret,
  MASKED,
  secretLookingArgs,
} from '../../contract';
import type { StepInput } from '../insight';
import { writePrivateJson } from '../private-json';
import type { ContextFile } from './context';
import { maskStrings } from './secret-mask';

export interface BuildRecord {
  buildId: string;
  at: number;
  durationMs: number;
  builder: BuildModel['builder'];
  state: 'succeeded' | 'failed' | 'cancelled';
  request: BuildModel['request'];
  imageId: string | null;
  cachedSteps: number;
  totalSteps: number;
  /** Cached steps over all steps, 0 when there are none. */
  cacheHitRatio: number;
  steps: Omit<BuildModel['steps'][number], 'logs' | 'logsDropped'>[];
  warnings: string[];
  failure: BuildModel['failure'];
  context: { bytes: number; files: ContextFile[] } | null;
  /** What each step depended on (its text, build args and ENV, base digest, COPY sources): for the next build's causes. */
  inputs?: StepInput[] | null;
  /** Why each step missed the cache, against the previous build of the project. */
  cacheCauses?: BuildModel['cacheCauses'];
}

const ID = /^[A-Za-z0-9_-]+$/;

/**
 * The record with every secret-looking build arg's value masked, whatever its length: in `request.buildArgs`,
 * and in every text by the rule of secret-mask.ts (short values only where they are known to be that value).
 */
export function maskSecrets(record: BuildRecord): BuildRecord {
  const { buildArgs } = record.request;
  const secrets = secretLookingArgs(buildArgs).map((name) => ({ name, value: buildArgs[name]! }));
  if (secrets.length === 0) return record;
  const masked = maskStrings({ ...record, request: { ...record.request, buildArgs: {} } }, secrets);
  const maskedArgs = Object.fromEntries(
    Object.entries(buildArgs).map(([name, value]) => [name, looksSecret(name) && value ? MASKED : value]),
  );
  return { ...masked, request: { ...masked.request, buildArgs: maskedArgs } };
}

/** Makes the record of a finished build, with secret-looking build arg values masked. */
export function recordOf(
  model: BuildModel,
  files: ContextFile[] | null,
  inputs: StepInput[] | null = null,
): BuildRecord {
  return maskSecrets(unmaskedRecordOf(model, files, inputs));
}

function unmaskedRecordOf(model: BuildModel, files: ContextFile[] | null, inputs: StepInput[] | null): BuildRecord {
  if (model.state !== 'succeeded' && model.state !== 'failed' && model.state !== 'cancelled') {
    throw new BerthError('INTERNAL', `Build ${model.buildId} has not finished.`, 'Record a build once it ends.');
  }
  // BuildKit's metadata instructions are no cache hit or miss: they stay out of the ratio.
  const cacheable = model.steps.filter((s) => s.state !== 'metadata');
  const cachedSteps = cacheable.filter((s) => s.state === 'cached').length;
  return {
    buildId: model.buildId,
    at: model.startedAt,
    durationMs: (model.endedAt ?? model.startedAt) - model.startedAt,
    builder: model.builder,
    state: model.state,
    request: model.request,
    imageId: model.imageId,
    cachedSteps,
    totalSteps: cacheable.length,
    cacheHitRatio: cacheable.length ? cachedSteps / cacheable.length : 0,
    steps: model.steps.map(({ logs: _logs, logsDropped: _dropped, ...step }) => step),
    warnings: model.warnings,
    failure: model.failure,
    context: files && model.context ? { bytes: model.context.bytes, files } : null,
    inputs,
    ...(model.cacheCauses && { cacheCauses: model.cacheCauses }),
  };
}

/** A build's (or its record's) first cause of a cache miss in one line, with the step named by its instruction. */
export function firstCauseOf(record: Pick<BuildRecord, 'cacheCauses' | 'steps'> | BuildModel): string | null {
  const cause = record.cacheCauses?.steps.find((s) => s.role === 'cause');
  if (!cause) return null;
  const step = record.steps.find((s) => s.id === cause.stepId);
  return `${step ? `${step.instruction}: ` : ''}${describeCause(cause)}`;
}

/** Why the data folder could not be written, with the fix for the usual causes. */
export function storageFailure(dir: string, error: unknown): BerthError {
  if (error instanceof BerthError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  const reason = (error as Error).message ?? String(error);
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `Free some space on the disk that holds ${dir}, then build again. Earlier records are kept as they were.`
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? `Make ${dir} writable for the user running Berth, then build again. Earlier records are kept as they were.`
        : `Check that ${dir} is on a working, writable disk, then build again. Earlier records are kept as they were.`;
  return new BerthError('STORAGE_FAILED', `The build record could not be written to ${dir}: ${reason}`, fix);
}

/**
 * Writes `<dir>/<buildId>.json` atomically: into a temp file that is flushed to disk (fsync), then renamed
 * over the final name, then the folder is flushed so the rename survives a crash. A reader never sees half
 * a record; on failure the temp file is removed and a STORAGE_FAILED error says why.
 */
export async function writeRecord(dir: string, record: BuildRecord): Promise<string> {
  if (!ID.test(record.buildId)) throw new BerthError('INVALID_INPUT', `Bad build id ${record.buildId}.`);
  try {
    return await writePrivateJson(dir, `${record.buildId}.json`, maskSecrets(record));
  } catch (error) {
    throw storageFailure(dir, error);
  }
}

export async function readRecord(dir: string, buildId: string): Promise<BuildRecord> {
  const missing = () =>
    new BerthError('NOT_FOUND', `No build record ${buildId} in ${dir}.`, 'Pick a build from the list of records.');
  if (!ID.test(buildId)) throw missing();
  const text = await readFile(join(dir, `${buildId}.json`), 'utf8').catch(() => {
    throw missing();
  });
  return JSON.parse(text) as BuildRecord;
}

/** Summaries of all records, newest first; unreadable files are skipped. */
export async function listRecords(dir: string): Promise<BuildRecordSummary[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const summaries: BuildRecordSummary[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const r = JSON.parse(await readFile(join(dir, name), 'utf8')) as BuildRecord;
      const summary = BuildRecordSummary.safeParse({
        buildId: r.buildId,
        at: r.at,
        durationMs: r.durationMs,
        builder: r.builder,
        state: r.state,
        tags: r.request.tags,
        contextDir: r.request.contextDir,
        dockerfile: r.request.dockerfile,
        target: r.request.target ?? null,
        imageId: r.imageId,
        cachedSteps: r.cachedSteps,
        totalSteps: r.totalSteps,
        firstCause: firstCauseOf(r),
      });
      if (summary.success) summaries.push(summary.data);
    } catch {
      // a file that is not a record (or was damaged) is left out of the list
    }
  }
  return summaries.sort((a, b) => b.at - a.at);
}

/**
 * A past build as the build stream would have shown it at its end, from its record: for opening a build
 * from the history. Step log tails are not recorded, so each step's `logs` is empty.
 */
export async function openRecord(dir: string, buildId: string): Promise<BuildModel> {
  const r = await readRecord(dir, buildId);
  const model = BuildModel.safeParse({
    buildId: r.buildId,
    request: r.request,
    builder: r.builder,
    state: r.state,
    context: r.context ? { bytes: r.context.bytes, files: r.context.files.length } : null,
    steps: r.steps.map((step) => ({ ...step, logs: [], logsDropped: 0 })),
    warnings: r.warnings,
    startedAt: r.at,
    endedAt: r.at + r.durationMs,
    imageId: r.imageId,
    failure: r.failure,
    ...(r.cacheCauses && { cacheCauses: r.cacheCauses }),
  });
  if (!model.success) {
    throw new BerthError(
      'NOT_FOUND',
      `The record of build ${buildId} cannot be read.`,
      'Pick another build; this record is damaged.',
    );
  }
  return model.data;
}
