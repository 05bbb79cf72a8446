/**
 * Where the time went, on real builds: a Dockerfile with two parallel stages, one sleeping, both copied into
 * the last stage. Built with BuildKit the critical path goes through the sleeping stage; built with the legacy
 * builder everything runs in order. Every bar is the engine's own times (BuildKit's vertex times, the legacy
 * decoder's stamps), what each step starts from is BuildKit's own vertex graph, the record gives the same
 * timeline, and its OTLP export nests and contains its spans.
 *
 * Everything runs on a fresh labelled base image (made here), so every intermediate image inherits the labels
 * and is removed by them afterwards.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { labelled, testLabels } from '../../../test/engine-harness';
import {
  type BuildModel,
  type BuildTimeline,
  buildTimeline,
  type OtlpSpan,
  OtlpTrace,
  type TimelineBar,
} from '../../contract';
import { startBuild } from '../build/build';
import type { BuildEvent } from '../build/build-event';
import { openRecord } from '../build/records';
import { buildTrace } from './build-trace';

const RUN_ID = randomBytes(4).toString('hex');
const LABEL = 'berth.test.timeline';
const BASE = `berth-test-timeline-base:${RUN_ID}`;
/** How long the slow stage sleeps: far longer than the fast stage's work, on any machine this runs on. */
const SLOW_SECONDS = 4;
const BUILD_TIMEOUT_MS = 180_000;

const DOCKERFILE = `ARG BASE
FROM \${BASE} AS slow
RUN sleep ${SLOW_SECONDS} && echo slow > /slow.txt
FROM \${BASE} AS fast
RUN echo fast > /fast.txt
FROM \${BASE}
COPY --from=fast /fast.txt /fast.txt
COPY --from=slow /slow.txt /slow.txt
RUN cat /fast.txt /slow.txt
`;

/** BuildKit's id of the Dockerfile's last stage, which has no name. */
const LAST_STAGE = 'stage-2';
const dirs: string[] = [];

beforeAll(() => {
  // A layer of its own, so nothing built on it comes from an earlier run's cache.
  execFileSync('docker', labelled(['build', '-q', '--label', `${LABEL}=${RUN_ID}`, '-t', BASE, '-']), {
    input: `FROM ${inject('nodeImage')}\nRUN echo ${RUN_ID} > /etc/berth-timeline-base\n`,
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  const list = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  const containers = list('container', 'ls', '-a', '-q', '--filter', `label=${LABEL}=${RUN_ID}`);
  if (containers.length) execFileSync('docker', ['rm', '-f', ...containers], { stdio: 'pipe' });
  const images = list('image', 'ls', '-a', '-q', '--filter', `label=${LABEL}=${RUN_ID}`);
  const remove = [...new Set([BASE, ...images])];
  try {
    execFileSync('docker', ['rmi', '-f', ...remove], { stdio: 'pipe' });
  } catch {
    // an image already gone with its parent is not an error
  }
});

/** The engine's own times for each step, keyed like the step model's ids are made (by stage and position for BuildKit). */
type EngineTimes = Map<string, { start?: number; end?: number; vertex?: { digest: string; inputs: string[] } }>;

interface TimedBuild {
  model: BuildModel;
  times: EngineTimes;
  records: string;
  timeline: BuildTimeline;
  bars: TimelineBar[];
}

async function build(builder: 'buildkit' | 'legacy'): Promise<TimedBuild> {
  const context = mkdtempSync(join(tmpdir(), 'berth-timeline-'));
  const records = mkdtempSync(join(tmpdir(), 'berth-timeline-records-'));
  dirs.push(context, records);
  writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
  const times: EngineTimes = new Map();
  const onEngineEvent = (event: BuildEvent) => {
    if (event.kind !== 'step') return;
    // BuildKit may name the last (unnamed) stage's steps without their stage: `[2/4] COPY ...`.
    const key =
      event.ref.builder === 'legacy'
        ? `legacy-${event.ref.number}`
        : `${event.ref.stage?.toLowerCase() ?? LAST_STAGE}/${event.ref.position}`;
    const seen = times.get(key) ?? {};
    seen.start ??= event.startedAt;
    if (event.vertex) seen.vertex = event.vertex;
    if (event.endedAt !== undefined) seen.end = event.endedAt;
    times.set(key, seen);
  };
  const model = await startBuild(
    { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() },
    { contextDir: context, buildArgs: { BASE }, tags: [`berth-test-timeline:${RUN_ID}-${builder}`], builder },
    { recordsDir: records, onEngineEvent },
  ).done;
  expect(model.failure).toBeNull();
  expect(model.state).toBe('succeeded');
  const timeline = buildTimeline(model, model.endedAt!);
  const { whatIf } = timeline;
  console.info(
    `${builder}: wall ${timeline.totalMs} ms, critical path ${timeline.criticalPath.length} steps ending at ${timeline.criticalMs} ms; caching ${whatIf?.instruction} (${whatIf?.durationMs} ms) saves ${whatIf?.savedMs} ms`,
  );
  return { model, times, records, timeline, bars: timeline.stages.flatMap((s) => s.bars) };
}

/** The record gives the same timeline as the build did live, and a well-formed trace. */
async function checkRecord(records: string, live: BuildModel): Promise<void> {
  const record = await openRecord(records, live.buildId);
  expect(buildTimeline(record, record.endedAt!)).toEqual(buildTimeline(live, live.endedAt!));
  checkTrace(record);
}

/** BuildKit's `[stage n/m]` of a step: its place among its stage's layer steps (this Dockerfile has no metadata in stages). */
function buildkitKey(model: BuildModel, stepId: string): string {
  const step = model.steps.find((s) => s.id === stepId)!;
  const position = model.steps.filter((s) => s.stage === step.stage && s.index <= step.index).length;
  return `${step.stage}/${position}`;
}

/**
 * What each step starts from, by BuildKit's own graph: the step vertexes among its vertex's inputs (the
 * context and other internal vertexes left out), and by the step model's `after`, both as vertex digests. A
 * step with no vertex of its own passes through: a metadata step to what it comes after, a FROM that BuildKit
 * merged into an identical one to that one's vertex.
 */
function inputsBothWays(model: BuildModel, times: EngineTimes): { engine: string[][]; model: string[][] } {
  const digestOf = new Map<string, string>();
  for (const step of model.steps) {
    const digest = times.get(buildkitKey(model, step.id))?.vertex?.digest;
    if (digest && !step.metadataOnly) digestOf.set(step.id, digest);
  }
  const stepDigests = new Set(digestOf.values());
  const resolve = (id: string): string[] => {
    const step = model.steps.find((s) => s.id === id)!;
    const own = digestOf.get(id);
    if (own) return [own];
    const base = (instruction: string) => instruction.replace(/\s+AS\s+\S+$/i, '');
    const twin = model.steps.find((s) => base(s.instruction) === base(step.instruction) && digestOf.has(s.id));
    if (!step.metadataOnly && twin) return [digestOf.get(twin.id)!];
    return (step.after ?? []).flatMap(resolve);
  };
  const withVertex = model.steps.filter((s) => times.get(buildkitKey(model, s.id))?.vertex);
  return {
    engine: withVertex.map((s) =>
      [...new Set(times.get(buildkitKey(model, s.id))!.vertex!.inputs.filter((d) => stepDigests.has(d)))].sort(),
    ),
    model: withVertex.map((s) => [...new Set((s.after ?? []).flatMap(resolve))].sort()),
  };
}

const stepId = (model: BuildModel, text: string) => model.steps.find((s) => s.instruction.includes(text))!.id;

/** Parent/child nesting and time containment of an OTLP export, and the export's shape. */
function checkTrace(model: BuildModel): OtlpSpan[] {
  const trace = OtlpTrace.parse(buildTrace(model));
  const spans = trace.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  expect(byId.size).toBe(spans.length);
  const roots = spans.filter((s) => s.parentSpanId === undefined);
  expect(roots).toHaveLength(1);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  const depth = (span: OtlpSpan): number => (span.parentSpanId ? 1 + depth(byId.get(span.parentSpanId)!) : 0);
  for (const span of spans) {
    if (!span.parentSpanId) continue;
    const parent = byId.get(span.parentSpanId);
    expect(parent, `${span.name} has its parent in the trace`).toBeDefined();
    expect(BigInt(span.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(parent!.startTimeUnixNano));
    expect(BigInt(span.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(parent!.endTimeUnixNano));
  }
  const stepSpans = spans.filter((s) => depth(s) === 2);
  const timed = model.steps.filter((s) => s.startedAt !== null);
  expect(stepSpans.map((s) => s.name).sort()).toEqual(timed.map((s) => s.instruction).sort());
  for (const span of stepSpans) {
    const step = timed.find((s) => s.instruction === span.name)!;
    const attribute = (key: string) => span.attributes.find((a) => a.key === key)?.value;
    expect(attribute('berth.step.cached')).toEqual({ boolValue: step.state === 'cached' });
    expect(attribute('berth.step.state')).toEqual({ stringValue: step.state });
    expect(BigInt(span.startTimeUnixNano)).toBe(BigInt(step.startedAt!) * 1_000_000n);
    expect(BigInt(span.endTimeUnixNano)).toBe(BigInt(step.endedAt!) * 1_000_000n);
  }
  expect(spans.filter((s) => depth(s) === 1).map((s) => s.name)).toEqual(
    [...new Set(timed.map((s) => s.stage))].map((stage) => (stage === null ? 'global ARGs' : `stage ${stage}`)),
  );
  return spans;
}

describe('the build timeline on the real engine', () => {
  it('BuildKit: the critical path runs through the slow parallel stage, bars are the vertex times', {
    timeout: BUILD_TIMEOUT_MS,
  }, async () => {
    const { model, times, records, timeline, bars } = await build('buildkit');
    for (const bar of bars.filter((b) => b.start !== null)) {
      const engine = times.get(buildkitKey(model, bar.stepId));
      // BuildKit runs the identical FROM of the three stages as one vertex, named for the first.
      if (!engine) {
        expect(bar.instruction).toMatch(/^FROM /);
        continue;
      }
      expect(bar.start, bar.instruction).toBe(engine.start! - timeline.origin);
      expect(bar.durationMs, bar.instruction).toBe(engine.end! - engine.start!);
    }
    const slowRun = stepId(model, 'sleep');
    const fastRun = stepId(model, 'echo fast');
    const slowEnd = times.get(buildkitKey(model, slowRun))!.end!;
    const fastEnd = times.get(buildkitKey(model, fastRun))!.end!;
    expect(slowEnd).toBeGreaterThan(fastEnd);
    expect(timeline.criticalPath).toContain(slowRun);
    expect(timeline.criticalPath).not.toContain(fastRun);
    expect(timeline.criticalPath.slice(-3)).toEqual([
      slowRun,
      stepId(model, 'COPY --from=slow'),
      stepId(model, 'RUN cat'),
    ]);
    expect(timeline.stages.map((s) => s.stage)).toEqual([null, 'slow', 'fast', 'stage-2']);
    // The steps each step starts from are BuildKit's own: its vertex inputs, stage to stage included.
    const inputs = inputsBothWays(model, times);
    expect(inputs.model).toEqual(inputs.engine);
    expect(inputs.engine.filter((i) => i.length === 2)).toHaveLength(2); // the two COPY --from
    // The slowest step that ran is the sleep; the fast stage's path caps what caching it saves.
    expect(timeline.whatIf?.stepId).toBe(slowRun);
    expect(timeline.whatIf!.durationMs).toBeGreaterThanOrEqual(SLOW_SECONDS * 1000);
    expect(timeline.whatIf!.savedMs).toBeGreaterThan(0);
    expect(timeline.whatIf!.savedMs).toBeLessThanOrEqual(timeline.whatIf!.durationMs);
    expect(timeline.whatIf!.wallMs).toBe(timeline.totalMs - timeline.whatIf!.savedMs);
    await checkRecord(records, model);
  });

  it('legacy: the same timeline, in order, every step on the critical path', {
    timeout: BUILD_TIMEOUT_MS,
  }, async () => {
    const { model, times, records, timeline, bars } = await build('legacy');
    expect(bars.every((b) => b.start !== null)).toBe(true);
    for (const bar of bars) {
      const engine = times.get(bar.stepId)!;
      expect(bar.start, bar.instruction).toBe(engine.start! - timeline.origin);
      expect(bar.durationMs, bar.instruction).toBe(engine.end! - engine.start!);
    }
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.start!).toBeGreaterThanOrEqual(bars[i - 1]!.end!);
    expect(timeline.criticalPath).toEqual(bars.map((b) => b.stepId));
    // In order, caching the slowest step saves all of its time.
    expect(timeline.whatIf?.stepId).toBe(stepId(model, 'sleep'));
    expect(timeline.whatIf!.savedMs).toBe(timeline.whatIf!.durationMs);
    await checkRecord(records, model);
  });
});
