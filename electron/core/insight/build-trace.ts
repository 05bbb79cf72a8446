/**
 * A finished build as an OTLP/JSON trace that tracing tools open without Docker: one root span for the
 * build, one span per stage and per step that has times, each step with its cache verdict and whether it is
 * on the critical path. Steps with no times (BuildKit's metadata instructions, steps that never ran) have no
 * span. Ids are derived from the build id, so exporting a build twice gives the same trace.
 */
import { createHash } from 'node:crypto';
import {
  BerthError,
  type BuildModel,
  buildTimeline,
  type OtlpKeyValue,
  type OtlpSpan,
  type OtlpTrace,
  secretLookingArgs,
} from '../../contract';
import { maskValuesInModel } from '../build/secret-mask';

const SPAN_KIND_INTERNAL = 1;
const STATUS = { unset: 0, ok: 1, error: 2 } as const;
const SCOPE = 'berth.build';

export function buildTrace(build: BuildModel): OtlpTrace {
  // A trace is a file that travels (to a tracing tool, a colleague): secret-looking build arg values are masked
  // in it as in the build record. A build of this session still holds them; a record has them masked already.
  const { buildArgs } = build.request;
  const secrets = secretLookingArgs(buildArgs).map((name) => ({ name, value: buildArgs[name] ?? '' }));
  const model = maskValuesInModel(build, secrets);
  if (model.endedAt === null) {
    throw new BerthError(
      'CONFLICT',
      `Build ${model.buildId} is still running: its trace is not complete.`,
      'Export the trace once the build has ended.',
    );
  }
  const timeline = buildTimeline(model, model.endedAt);
  const traceId = hexOf(`trace/${model.buildId}`, 16);
  const nanos = (msFromOrigin: number) => (BigInt(timeline.origin + msFromOrigin) * 1_000_000n).toString();
  const span = (
    key: string,
    fields: Omit<OtlpSpan, 'traceId' | 'spanId' | 'kind' | 'startTimeUnixNano' | 'endTimeUnixNano'>,
    start: number,
    end: number,
  ): OtlpSpan => ({
    traceId,
    spanId: hexOf(`span/${model.buildId}/${key}`, 8),
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(end),
    ...fields,
  });
  const steps = new Map(model.steps.map((s) => [s.id, s]));
  const root = span(
    'build',
    {
      name: `build ${model.request.tags[0] ?? model.request.contextDir}`,
      attributes: attributes({
        'berth.build.id': model.buildId,
        'berth.build.builder': model.builder,
        'berth.build.state': model.state,
        'berth.build.context_dir': model.request.contextDir,
        'berth.build.dockerfile': model.request.dockerfile,
        'berth.build.target': model.request.target,
        'berth.build.tags': model.request.tags.join(' ') || undefined,
        'berth.build.image_id': model.imageId ?? undefined,
        'berth.build.cached_steps': model.steps.filter((s) => s.state === 'cached').length,
        'berth.build.critical_path_ms': timeline.criticalMs,
        'berth.build.what_if.step': timeline.whatIf?.instruction,
        'berth.build.what_if.saved_ms': timeline.whatIf?.savedMs,
      }),
      status: statusOf(model.state === 'succeeded', model.failure?.message),
    },
    0,
    timeline.totalMs,
  );
  const spans: OtlpSpan[] = [root];
  for (const stage of timeline.stages) {
    const bars = stage.bars.filter((b) => b.start !== null && b.end !== null);
    if (bars.length === 0) continue;
    const start = Math.min(...bars.map((b) => b.start ?? 0));
    const end = Math.max(...bars.map((b) => b.end ?? 0));
    const stageSpan = span(
      `stage/${stage.stage ?? ''}`,
      {
        name: stage.stage === null ? 'global ARGs' : `stage ${stage.stage}`,
        parentSpanId: root.spanId,
        attributes: attributes({
          'berth.stage': stage.stage ?? undefined,
          'berth.stage.steps': stage.bars.length,
          'berth.stage.cached_steps': stage.bars.filter((b) => b.state === 'cached').length,
        }),
        status: statusOf(!bars.some((b) => b.state === 'error')),
      },
      start,
      end,
    );
    spans.push(stageSpan);
    for (const bar of bars) {
      const step = steps.get(bar.stepId);
      spans.push(
        span(
          `step/${bar.stepId}`,
          {
            name: bar.instruction.length > 120 ? `${bar.instruction.slice(0, 119)}…` : bar.instruction,
            parentSpanId: stageSpan.spanId,
            attributes: attributes({
              'berth.step.id': bar.stepId,
              'berth.step.instruction': bar.instruction,
              'berth.step.line': bar.line ?? undefined,
              'berth.step.state': bar.state,
              'berth.step.cached': bar.state === 'cached',
              'berth.step.critical_path': bar.critical,
            }),
            status: statusOf(bar.state !== 'error', step?.error ?? undefined),
          },
          bar.start ?? 0,
          bar.end ?? 0,
        ),
      );
    }
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes({ 'service.name': 'berth', 'berth.engine.builder': model.builder }) },
        scopeSpans: [{ scope: { name: SCOPE }, spans }],
      },
    ],
  };
}

function statusOf(ok: boolean, message?: string): OtlpSpan['status'] {
  if (ok) return { code: STATUS.ok };
  return message ? { code: STATUS.error, message } : { code: STATUS.error };
}

/** OTLP attributes from plain values; undefined ones are left out. */
function attributes(values: Record<string, string | number | boolean | undefined>): OtlpKeyValue[] {
  return Object.entries(values).flatMap(([key, value]): OtlpKeyValue[] => {
    if (value === undefined) return [];
    if (typeof value === 'boolean') return [{ key, value: { boolValue: value } }];
    if (typeof value === 'number') return [{ key, value: { intValue: String(Math.round(value)) } }];
    return [{ key, value: { stringValue: value } }];
  });
}

/** A stable id of `bytes` bytes (hex) for `key`; never all zeros. */
function hexOf(key: string, bytes: number): string {
  const hex = createHash('sha256')
    .update(key)
    .digest('hex')
    .slice(0, bytes * 2);
  return /[1-9a-f]/.test(hex) ? hex : `${hex.slice(0, -1)}1`;
}
