/**
 * Build history retention: the last N builds of each project (context folder + Dockerfile) keep their
 * context snapshots; older records keep their summary and steps but lose the snapshot, the bulk of a record.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError } from '../../contract';
import { listRecords, readRecord, writeRecord } from './records';

export interface RetentionReport {
  trimmed: string[];
  freedBytes: number;
}

export async function applyRetention(dir: string, keepPerProject: number): Promise<RetentionReport> {
  if (!Number.isInteger(keepPerProject) || keepPerProject < 1 || keepPerProject > 10_000)
    throw new BerthError(
      'INVALID_INPUT',
      `Keep ${keepPerProject} builds per project is not possible.`,
      'Keep a whole number of builds from 1 to 10000.',
      { keepPerProject: ['a whole number from 1 to 10000'] },
    );
  const seen = new Map<string, number>();
  const trimmed: string[] = [];
  let freedBytes = 0;
  // Newest first, so the first N of each project are the ones kept whole.
  for (const summary of await listRecords(dir)) {
    const project = `${summary.contextDir}\n${summary.dockerfile}`;
    const rank = (seen.get(project) ?? 0) + 1;
    seen.set(project, rank);
    if (rank <= keepPerProject) continue;
    const record = await readRecord(dir, summary.buildId);
    if (!record.context) continue;
    const path = join(dir, `${summary.buildId}.json`);
    const before = (await stat(path)).size;
    await writeRecord(dir, { ...record, context: null });
    freedBytes += Math.max(0, before - (await stat(path)).size);
    trimmed.push(summary.buildId);
  }
  return { trimmed, freedBytes };
}
