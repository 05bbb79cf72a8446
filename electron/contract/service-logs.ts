/**
 * A Swarm service's logs, followed live and tagged by task: the engine's one stream for the whole service
 * (`GET /services/{id}/logs?follow=1&timestamps=1&details=1`), carried as the merged logs' events
 * (logs-merged.ts) with one source per task, so the Logs pieces (ring, tags, viewport) show it as they show
 * several containers. Pure schemas, shared by core, api and renderer.
 */
import { z } from 'zod';
import { ServiceRef } from './services';

/** At most this many lines of each task's history first; a service has its tasks' history in one stream. */
export const MAX_SERVICE_LOG_TAIL = 10_000;

export const ServiceLogsParams = z
  .object({
    ref: ServiceRef,
    tail: z.number().int().min(0).max(MAX_SERVICE_LOG_TAIL).default(500),
    /** false: the history only, then the stream ends. */
    follow: z.boolean().default(true),
  })
  .strict();
export type ServiceLogsParams = z.infer<typeof ServiceLogsParams>;
