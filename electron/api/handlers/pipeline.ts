import type { PipelineModel, PipelineRequestInput } from '../../contract';
import {
  listPipelineRecords,
  type Pipeline,
  readPipelineRecord,
  resumePipeline,
  runParity,
  startPipeline,
  WatchSession,
} from '../../core/pipeline';
import type { Handlers } from '../handler-types';
import { engineNow, type Services } from '../services';

type PipelineHandlers = Pick<
  Handlers,
  | 'parity.run'
  | 'pipeline.start'
  | 'pipeline.resume'
  | 'pipeline.cancel'
  | 'pipeline.get'
  | 'pipeline.history'
  | 'watch.start'
  | 'watch.stop'
>;

export function pipelineHandlers(services: Services): PipelineHandlers {
  const {
    engine,
    pipelines,
    watches,
    liveWatches,
    pipelineHistoryDir,
    recordsDir,
    credentials,
    deployers,
    parityPasses,
  } = services;
  const options = () => ({
    engine: engineNow(engine),
    historyDir: pipelineHistoryDir,
    recordsDir,
    credentials,
    deployers,
  });
  /** A run of this session (with its request in memory), else one from the history. */
  const find = async (pipelineId: string): Promise<{ model: PipelineModel; live?: Pipeline }> => {
    try {
      const live = pipelines.job(pipelineId);
      return { model: live.current(), live };
    } catch (error) {
      if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
      return { model: await readPipelineRecord(pipelineHistoryDir, pipelineId) };
    }
  };
  return {
    'parity.run': async (request) => {
      const handle = engineNow(engine);
      const result = await runParity(handle, request);
      await parityPasses.record(handle, result);
      return result;
    },
    'pipeline.start': async (request) => ({ pipelineId: pipelines.add(startPipeline(request, options())) }),
    'pipeline.resume': async ({ pipelineId, credentials: given, overrideParity }) => {
      const { model, live } = await find(pipelineId);
      const base: PipelineRequestInput = live ? live.request : model.request;
      const request: PipelineRequestInput = {
        ...base,
        ...(given && { credentials: given }),
        ...(base.deploy && overrideParity !== undefined && { deploy: { ...base.deploy, overrideParity } }),
      };
      return { pipelineId: pipelines.add(resumePipeline(model, request, options())) };
    },
    'pipeline.cancel': async ({ pipelineId }) => {
      pipelines.cancel(pipelineId);
      return { ok: true as const };
    },
    'pipeline.get': async ({ pipelineId }) => (await find(pipelineId)).model,
    'pipeline.history': () => listPipelineRecords(pipelineHistoryDir),
    'watch.start': async (request) => {
      const session = await WatchSession.start(request, { engine: engineNow(engine), recordsDir, credentials });
      liveWatches.add(session);
      void session.done.then(() => liveWatches.delete(session));
      return { watchId: watches.add(session) };
    },
    'watch.stop': async ({ watchId }) => {
      watches.job(watchId).stop();
      return { ok: true as const };
    },
  };
}
