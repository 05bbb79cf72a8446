/**
 * Why each step missed the cache: the build is compared with the previous build of the same project. In each
 * stage chain (a stage, and the stages built FROM it), the first step that missed is the cause, with every change
 * found in what it depends on: its instruction's text (and instructions added or removed before it), the build
 * args and ENV it uses, its base image's digest, and the context files its COPY/ADD sources match. Every later
 * step of the chain that missed is a consequence of it, and so is a COPY --from of a stage that missed. A stage
 * that does not depend on the changed one gets its own analysis, so a change in one stage is never blamed on
 * another. When nothing is found, the cause says so (no change is invented). Pure.
 */
import { alignByKey, type BuildStep, type CacheChange, type CacheExplanation, type StepCause } from '../../contract';
import { changedFiles, type SnapshotFile } from './copy-sources';
import type { RecordedVariable, StepInput } from './step-inputs';

export interface ExplainedBuild {
  buildId: string;
  steps: ReadonlyArray<Pick<BuildStep, 'id' | 'state' | 'stage' | 'instruction'>>;
  /** What each step depended on (recorded since cache causes exist); null in older records. */
  inputs: readonly StepInput[] | null;
  /** The context snapshot (after .dockerignore); null when the build recorded none. */
  files: readonly SnapshotFile[] | null;
}

/** Instructions that only change the image's configuration: no later step's cache depends on them. */
const CONFIG_ONLY = new Set([
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'STOPSIGNAL',
  'VOLUME',
]);

const missed = (state: BuildStep['state'] | undefined): boolean => state === 'done' || state === 'error';

/** Inputs for an older record without them: the steps' texts only (no variables, bases or sources). */
function inputsFromSteps(steps: ExplainedBuild['steps']): StepInput[] {
  return steps
    .filter((s) => s.stage !== null)
    .map((s) => ({
      stepId: s.id,
      stage: s.stage,
      keyword: s.instruction.split(/\s/, 1)[0]!.toUpperCase(),
      text: s.instruction,
      metadataOnly: s.state === 'metadata',
      variables: [],
      base: null,
      parentStage: null,
      copy: null,
    }));
}

function byStage(inputs: readonly StepInput[]): Map<string, StepInput[]> {
  const stages = new Map<string, StepInput[]>();
  for (const input of inputs) {
    if (input.stage === null) continue;
    stages.set(input.stage, [...(stages.get(input.stage) ?? []), input]);
  }
  return stages;
}

const sameValue = (a: RecordedVariable | undefined, b: RecordedVariable | undefined): boolean =>
  (a?.value ?? null) === (b?.value ?? null) && (a?.fingerprint ?? null) === (b?.fingerprint ?? null);

function variableChanges(previous: StepInput, current: StepInput): CacheChange[] {
  const before = new Map(previous.variables.map((v) => [v.name, v]));
  const after = new Map(current.variables.map((v) => [v.name, v]));
  const names = [...new Set([...after.keys(), ...before.keys()])];
  return names.flatMap((name): CacheChange[] => {
    const old = before.get(name);
    const now = after.get(name);
    if (sameValue(old, now)) return [];
    return [
      {
        kind: 'variable',
        name,
        source: now?.source ?? old?.source ?? 'build-arg',
        old: old?.value ?? null,
        new: now?.value ?? null,
      },
    ];
  });
}

function baseChange(previous: StepInput, current: StepInput): CacheChange[] {
  const now = current.base;
  const old = previous.base;
  if (!now || !old) return [];
  const refChanged = old.ref !== now.ref;
  const digestChanged = old.digest !== null && now.digest !== null && old.digest !== now.digest;
  if (!refChanged && !digestChanged) return [];
  return [{ kind: 'base-image', oldRef: old.ref, newRef: now.ref, old: old.digest, new: now.digest }];
}

export function explainMisses(
  current: ExplainedBuild & { noCache: boolean },
  previous: ExplainedBuild | null,
): CacheExplanation {
  const currentInputs = current.inputs ?? inputsFromSteps(current.steps);
  const detailed = previous?.inputs !== null && previous?.inputs !== undefined && current.inputs !== null;
  const previousStages = byStage(previous ? (previous.inputs ?? inputsFromSteps(previous.steps)) : []);
  const states = new Map(current.steps.map((s) => [s.id, s.state]));
  const previousStates = new Map(previous?.steps.map((s) => [s.id, s.state]));
  /** Each stage's root cause: the cause step its chain's first miss leads back to; null when nothing missed. */
  const stageRoot = new Map<string, string | null>();
  const causes = new Map<string, StepCause>();

  const changesAt = (stage: StepInput[], pairs: Array<[StepInput | null, StepInput | null]>, k: number) => {
    const changes: CacheChange[] = [];
    const at = pairs.findIndex(([, cur]) => cur === stage[k]);
    // the unmatched run around the step: instructions removed and added in its place
    let start = at;
    while (start > 0 && (pairs[start - 1]![0] === null || pairs[start - 1]![1] === null)) start--;
    let end = at;
    while (end + 1 < pairs.length && (pairs[end + 1]![0] === null || pairs[end + 1]![1] === null)) end++;
    const removedHere = pairs.slice(start, end + 1).flatMap(([old, cur]) => (old && !cur ? [old] : []));
    const [matched, step] = pairs[at]!;
    if (!matched) {
      changes.push({ kind: 'instruction', old: removedHere[0]?.text ?? null, new: step!.text });
      for (const removed of removedHere.slice(1)) changes.push({ kind: 'instruction', old: removed.text, new: null });
    } else {
      for (const removed of removedHere) changes.push({ kind: 'instruction', old: removed.text, new: null });
    }
    // earlier in the stage: what a cached step does not show (FROM's base, config that later steps inherit)
    const earlier: Extract<CacheChange, { kind: 'instruction' }>[] = [];
    for (const [old, cur] of pairs.slice(0, start)) {
      const keyword = (cur ?? old)!.keyword;
      if (CONFIG_ONLY.has(keyword)) continue;
      if (old && cur) {
        if (keyword === 'FROM' && detailed) changes.push(...variableChanges(old, cur), ...baseChange(old, cur));
      } else if (!cur || cur.metadataOnly || keyword === 'FROM') {
        earlier.push({ kind: 'instruction', old: old?.text ?? null, new: cur?.text ?? null });
      }
    }
    if (matched && step) {
      const before = previousStates.get(matched.stepId);
      if (before === 'error' || before === 'not-run' || before === 'queued' || before === 'running') {
        changes.push({ kind: 'not-cached-before', previousState: before });
      }
      if (detailed) changes.push(...variableChanges(matched, step), ...baseChange(matched, step));
      const copy = step.copy;
      if (copy && copy.from === null && !copy.remote && previous?.files && current.files) {
        const files = changedFiles(copy.sources, previous.files, current.files);
        if (files) changes.push(files);
      }
    }
    // an edited ENV or ARG shows as the variable it changed; else the edit itself is the change
    const seenVariables = changes.some((c) => c.kind === 'variable');
    for (const change of earlier) {
      const keyword = (change.new ?? change.old ?? '').split(/\s/, 1)[0]!.toUpperCase();
      if (!(seenVariables && (keyword === 'ENV' || keyword === 'ARG'))) changes.push(change);
    }
    const seen = new Set<string>();
    return changes.filter((c) => {
      const key = JSON.stringify(c);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };

  for (const [stageId, stage] of byStage(currentInputs)) {
    const parent = stage[0]?.parentStage ?? null;
    let root = parent === null ? null : (stageRoot.get(parent) ?? null);
    const pairs = alignByKey(
      previousStages.get(stageId) ?? [],
      stage,
      (i) => i.text,
      (i) => i.text,
    );
    stage.forEach((step, k) => {
      if (!missed(states.get(step.stepId))) return;
      const fromStage = step.copy?.fromStage && step.copy.from !== null ? stageRoot.get(step.copy.from) : null;
      if (root === null && fromStage) root = fromStage;
      if (root !== null) {
        causes.set(step.stepId, { stepId: step.stepId, role: 'consequence', changes: [], causeStepId: root });
        return;
      }
      const changes: CacheChange[] = current.noCache
        ? [{ kind: 'no-cache' }]
        : previous === null
          ? []
          : changesAt(stage, pairs, k);
      // BuildKit says DONE or CACHED for a FROM of a local image from one build to the next: a FROM is a miss
      // only when something it depends on changed (else the next step that missed is explained on its own)
      if (step.keyword === 'FROM' && step.base && (current.noCache || changes.length === 0)) return;
      causes.set(step.stepId, { stepId: step.stepId, role: 'cause', changes, causeStepId: null });
      root = step.stepId;
    });
    stageRoot.set(stageId, root);
  }

  const order = new Map(current.steps.map((s, i) => [s.id, i]));
  return {
    previousBuildId: previous?.buildId ?? null,
    steps: [...causes.values()].sort((a, b) => (order.get(a.stepId) ?? 0) - (order.get(b.stepId) ?? 0)),
  };
}
