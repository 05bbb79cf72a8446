/**
 * The pipeline history: one private JSON record per finished run (folder 0700, file 0600). Records hold the
 * model, which never carries credentials, and build values already masked.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError, PipelineModel, type PipelineSummary, RUN_ID } from '../../contract';
import { storageFailure } from '../build/records';
import { writePrivateJson } from '../private-json';

export async function writePipelineRecord(dir: string, model: PipelineModel): Promise<string> {
  if (!RUN_ID.test(model.pipelineId)) throw new BerthError('INVALID_INPUT', `Bad pipeline id ${model.pipelineId}.`);
  try {
    return await writePrivateJson(dir, `${model.pipelineId}.json`, model);
  } catch (error) {
    throw storageFailure(dir, error);
  }
}

export async function readPipelineRecord(dir: string, pipelineId: string): Promise<PipelineModel> {
  const missing = () =>
    new BerthError('NOT_FOUND', `No pipeline ${pipelineId} in the history.`, 'Pick a run from the pipeline history.');
  if (!RUN_ID.test(pipelineId)) throw missing();
  const text = await readFile(join(dir, `${pipelineId}.json`), 'utf8').catch(() => {
    throw missing();
  });
  const parsed = PipelineModel.safeParse(JSON.parse(text));
  if (!parsed.success) throw missing();
  return parsed.data;
}

export function summaryOf(model: PipelineModel): PipelineSummary {
  return {
    pipelineId: model.pipelineId,
    resumedFrom: model.resumedFrom,
    state: model.state,
    startedAt: model.startedAt,
    endedAt: model.endedAt,
    tags: model.request.build.tags,
    failedStage: model.stages.find((s) => s.state === 'failed')?.name ?? null,
    stages: model.stages.map(({ name, state }) => ({ name, state })),
  };
}

/** Every run in the history, newest first; damaged files are left out. */
export async function listPipelineRecords(dir: string): Promise<PipelineSummary[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  const summaries: PipelineSummary[] = [];
  for (const name of names) {
    const model = await readPipelineRecord(dir, name.slice(0, -5)).catch(() => null);
    if (model) summaries.push(summaryOf(model));
  }
  return summaries.sort((a, b) => b.startedAt - a.startedAt);
}
