/** Replays a recorded build stream (fixtures/*.jsonl) through a decoder and the fold, as the live build does. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildStep } from '../../../contract';
import type { StreamLine } from '../build-event';
import { BuildKitDecoder } from '../buildkit-decode';
import { LegacyDecoder } from '../legacy-decode';
import { planSteps } from '../plan';
import { StepFold } from '../step-fold';

export const fixturePath = (name: string): string =>
  join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', name);

export function replay(builder: 'buildkit' | 'legacy', run: string, dockerfile = 'Dockerfile') {
  const source = readFileSync(fixturePath(`app/${dockerfile}`), 'utf8');
  const fold = new StepFold(planSteps(source), { builder });
  const decoder = builder === 'buildkit' ? new BuildKitDecoder() : new LegacyDecoder();
  const lines = readFileSync(fixturePath(`${builder}-${run}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean);
  for (const line of lines) for (const event of decoder.push(JSON.parse(line) as StreamLine)) fold.apply(event);
  if (decoder instanceof LegacyDecoder) for (const event of decoder.end()) fold.apply(event);
  fold.finish(fold.error ? 'failed' : 'succeeded', Date.now());
  return {
    steps: fold.steps(),
    error: fold.error,
    imageId: fold.imageId,
    warnings: fold.warnings,
    internalError: fold.internalError,
  };
}

/** What two builders must agree on: the step list and its cache states. */
export const shape = (steps: BuildStep[]) => steps.map((s) => `${s.stage} ${s.line} ${s.state} ${s.instruction}`);
