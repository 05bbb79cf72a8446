import { type BuildModel, type BuildStep, OtlpTrace, queuedStep } from '../../contract';
import { buildTrace } from './build-trace';

const T0 = 1_700_000_000_000;

const step = (
  id: string,
  index: number,
  stage: string | null,
  state: BuildStep['state'],
  times: [number, number] | null,
  after: string[],
): BuildStep => ({
  ...queuedStep({ id, index, stage, instruction: `RUN ${id}`, line: index + 1, after }),
  state,
  startedAt: times ? T0 + times[0] : null,
  endedAt: times ? T0 + times[1] : null,
  error: state === 'error' ? 'exit code: 2' : null,
});

const model = (over: Partial<BuildModel> = {}): BuildModel => ({
  buildId: '0f8e2b6c-93a1-4d0e-9a51-7b2f1c4d5e6f',
  request: {
    contextDir: '/p',
    dockerfile: 'Dockerfile',
    buildArgs: {},
    tags: ['app:1'],
    noCache: false,
    builder: 'auto',
    secrets: [],
  },
  builder: 'buildkit',
  state: 'failed',
  context: null,
  steps: [
    step('arg', 0, null, 'metadata', null, []),
    step('a1', 1, 'a', 'cached', [100, 120], []),
    step('a2', 2, 'a', 'done', [120, 2120], ['a1']),
    step('b1', 3, 'b', 'cached', [100, 130], []),
    step('b2', 4, 'b', 'error', [2130, 2500], ['b1', 'a2']),
  ],
  warnings: [],
  startedAt: T0,
  endedAt: T0 + 2600,
  imageId: null,
  failure: { code: 'BUILD_FAILED', message: 'RUN b2 failed', stepId: 'b2', exitCode: 2 },
  ...over,
});

const attribute = (span: { attributes: { key: string; value: unknown }[] }, key: string) =>
  span.attributes.find((a) => a.key === key)?.value;

describe('buildTrace', () => {
  it('is an OTLP/JSON ExportTraceServiceRequest: build, stage and step spans with verdicts, nested and contained', () => {
    const trace = OtlpTrace.parse(buildTrace(model()));
    const spans = trace.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans.map((s) => s.name)).toEqual([
      'build app:1',
      'stage a',
      'RUN a1',
      'RUN a2',
      'stage b',
      'RUN b1',
      'RUN b2',
    ]);
    const [root, stageA, , a2, stageB, , b2] = spans;
    expect(root!.parentSpanId).toBeUndefined();
    expect(root!.traceId).toBe(spans[6]!.traceId);
    expect(stageA!.parentSpanId).toBe(root!.spanId);
    expect(a2!.parentSpanId).toBe(stageA!.spanId);
    expect(b2!.parentSpanId).toBe(stageB!.spanId);
    expect(root).toMatchObject({
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000002600000000',
      status: { code: 2, message: 'RUN b2 failed' },
    });
    expect(stageB).toMatchObject({ startTimeUnixNano: '1700000000100000000', endTimeUnixNano: '1700000002500000000' });
    expect(attribute(spans[5]!, 'berth.step.cached')).toEqual({ boolValue: true });
    expect(attribute(a2!, 'berth.step.cached')).toEqual({ boolValue: false });
    expect(attribute(a2!, 'berth.step.critical_path')).toEqual({ boolValue: true });
    expect(attribute(a2!, 'berth.step.line')).toEqual({ intValue: '3' });
    expect(b2!.status).toEqual({ code: 2, message: 'exit code: 2' });
    // Without a2, b2 starts 10 ms (its recorded wait) after b1 and ends at 510 ms instead of 2500 ms.
    expect(attribute(root!, 'berth.build.what_if.saved_ms')).toEqual({ intValue: '1990' });
    expect(trace.resourceSpans[0]!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'berth' },
    });
  });

  it('gives the same ids for the same build, and different ids for another', () => {
    const ids = (m: BuildModel) => buildTrace(m).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.spanId);
    expect(ids(model())).toEqual(ids(model()));
    expect(new Set(ids(model())).size).toBe(7);
    expect(ids(model({ buildId: 'another' }))).not.toEqual(ids(model()));
  });

  it('refuses a build still running: CONFLICT, with when to try', () => {
    expect(() => buildTrace(model({ state: 'running', endedAt: null }))).toThrow(
      expect.objectContaining({ code: 'CONFLICT', fix: 'Export the trace once the build has ended.' }),
    );
  });

  it('the schema rejects what tracing tools would not read', () => {
    const good = buildTrace(model());
    const span = good.resourceSpans[0]!.scopeSpans[0]!.spans[1]!;
    const withSpan = (change: object) => ({
      resourceSpans: [
        { ...good.resourceSpans[0]!, scopeSpans: [{ scope: { name: 'x' }, spans: [{ ...span, ...change }] }] },
      ],
    });
    expect(OtlpTrace.safeParse(withSpan({})).success).toBe(true);
    expect(OtlpTrace.safeParse(withSpan({ spanId: 'ABCDEF0123456789' })).success).toBe(false);
    expect(OtlpTrace.safeParse(withSpan({ traceId: '0'.repeat(32) })).success).toBe(false);
    expect(OtlpTrace.safeParse(withSpan({ startTimeUnixNano: 1700000000100000000 })).success).toBe(false);
    expect(OtlpTrace.safeParse(withSpan({ endTimeUnixNano: '1' })).success).toBe(false);
    expect(OtlpTrace.safeParse(withSpan({ attributes: [{ key: 'n', value: { intValue: 3 } }] })).success).toBe(false);
  });

  it('masks the values of secret-looking build args in every span, as the build record does (a session build keeps them)', () => {
    const secret = 'tok-5b1e9c0d';
    const leaky = model({
      request: { ...model().request, buildArgs: { API_TOKEN: secret, FLAVOUR: 'plain' } },
      steps: model().steps.map((s) =>
        s.id === 'b2' ? { ...s, instruction: `RUN curl -H "x: ${secret}" .`, error: `401 for ${secret}` } : s,
      ),
      failure: { code: 'BUILD_FAILED', message: `RUN b2 failed: 401 for ${secret}`, stepId: 'b2', exitCode: 2 },
    });
    const text = JSON.stringify(OtlpTrace.parse(buildTrace(leaky)));
    expect(text).not.toContain(secret);
    expect(text).toContain('401 for ***');
  });

  it('masks a short secret-looking value where it is known to appear (NAME=value), leaving other text whole', () => {
    const leaky = model({
      request: { ...model().request, buildArgs: { API_TOKEN: 'z9', FLAVOUR: 'plain' } },
      steps: model().steps.map((s) => (s.id === 'b2' ? { ...s, error: 'exit 1 with API_TOKEN=z9 (z9x stays)' } : s)),
    });
    const text = JSON.stringify(OtlpTrace.parse(buildTrace(leaky)));
    expect(text).not.toContain('API_TOKEN=z9');
    expect(text).toContain('exit 1 with API_TOKEN=*** (z9x stays)');
  });
});
