import { buildTrace } from '../../core/insight/build-trace';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';
import { buildOrRecord } from './builds';

/** A finished build's trace as OTLP/JSON, from this session's build or its record. */
export function buildTraceHandlers(services: Services): Pick<Handlers, 'build.trace'> {
  return {
    'build.trace': async ({ buildId }) => buildTrace(await buildOrRecord(services, buildId)),
  };
}
