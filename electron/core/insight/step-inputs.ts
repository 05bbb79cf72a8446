/**
 * What each step's cache verdict depends on, as far as Berth can see it, recorded with every build so the next
 * one can say what changed: the instruction's text, the build args and ENV in effect that it uses (all of them
 * for RUN, whose environment holds them; the ones it names for the others), its base image and that image's
 * digest, and the sources of a COPY or ADD. Secret-looking values are never kept: a keyed fingerprint stands in
 * for them, so a change is still seen. Pure: the digests and the fingerprint function are given.
 */
import { looksSecret, MASKED } from '../../contract';
import { planSteps } from '../build/plan';
import { findStage } from '../dockerfile';
import { copySources } from './copy-sources';
import { argPairs, envPairs, expand, referencedNames } from './variables';

export interface RecordedVariable {
  name: string;
  source: 'build-arg' | 'env';
  /** Null when the ARG has no value; MASKED for a secret-looking name. */
  value: string | null;
  /** For a masked value: a keyed fingerprint, equal for equal values, from which the value cannot be read. */
  fingerprint?: string;
}

export interface StepInput {
  /** The step's id in the build model: `<builder>-<n>`. */
  stepId: string;
  /** The stage's id (`build`, `stage-1`), null for the global ARGs. */
  stage: string | null;
  keyword: string;
  text: string;
  metadataOnly: boolean;
  variables: RecordedVariable[];
  /** FROM an image, or COPY --from=<image>: the reference with variables expanded, and its digest when known. */
  base: { ref: string; digest: string | null } | null;
  /** FROM an earlier stage: that stage's id. */
  parentStage: string | null;
  /** COPY or ADD: where from (a stage id, an image, or null for the context) and the sources. */
  copy: { from: string | null; fromStage: boolean; sources: string[]; remote: boolean } | null;
}

export interface StepInputOptions {
  builder: 'buildkit' | 'legacy';
  target?: string | undefined;
  buildArgs: Readonly<Record<string, string>>;
  /** A keyed, one-way fingerprint of a secret value. */
  fingerprint: (value: string) => string;
}

/** The inputs of every planned step of this Dockerfile, in Dockerfile order, digests still unknown. */
export function stepInputs(source: string, options: StepInputOptions): StepInput[] {
  const plan = planSteps(source, options.target);
  const stages = plan.flatMap((p) => (p.stage && p.stage.instructions[0] === p.instruction ? [p.stage] : []));
  const given = (name: string): string | undefined =>
    Object.hasOwn(options.buildArgs, name) ? options.buildArgs[name] : undefined;
  const globals = new Map<string, string | null>();
  /** Each stage's ENV at its end, for stages built FROM it. */
  const stageEnv = new Map<number, Map<string, string>>();
  let args = new Map<string, string | null>();
  let env = new Map<string, string>();
  const scope = (): Map<string, string | null> => new Map<string, string | null>([...args, ...env]);

  /** A variable as the step sees it: ENV wins over an ARG of the same name; FROM lines see the global ARGs only. */
  const recorded = (name: string, argScope: ReadonlyMap<string, string | null> = args): RecordedVariable => {
    const fromEnv = argScope !== globals && env.has(name);
    const value = fromEnv ? env.get(name)! : (argScope.get(name) ?? null);
    const source = fromEnv ? 'env' : 'build-arg';
    if (value !== null && looksSecret(name)) {
      return { name, source, value: MASKED, fingerprint: options.fingerprint(value) };
    }
    return { name, source, value };
  };

  return plan.map((step) => {
    const { instruction } = step;
    const stageIndex = step.stage?.index ?? -1;
    const input: StepInput = {
      stepId: `${options.builder}-${instruction.legacyNumber}`,
      stage: step.stage?.id ?? null,
      keyword: instruction.keyword,
      text: instruction.text,
      metadataOnly: step.metadataOnly,
      variables: [],
      base: null,
      parentStage: null,
      copy: null,
    };
    if (stageIndex < 0) {
      // a global ARG: usable in FROM lines only
      for (const [name, fallback] of argPairs(instruction.args)) {
        globals.set(name, given(name) ?? (fallback === null ? null : expand(fallback, globals)));
        input.variables.push(recorded(name, globals));
      }
      return input;
    }
    switch (instruction.keyword) {
      case 'FROM': {
        const ref = expand(step.stage!.base, globals);
        const parent = findStage(stages, ref);
        args = new Map();
        if (parent && parent.index < stageIndex) {
          input.parentStage = parent.id;
          env = new Map(stageEnv.get(parent.index) ?? []);
        } else {
          env = new Map();
          input.base = { ref, digest: null };
        }
        input.variables = referencedNames(step.stage!.base).map((name) => recorded(name, globals));
        break;
      }
      case 'ARG':
        for (const [name, fallback] of argPairs(instruction.args)) {
          args.set(name, given(name) ?? (fallback === null ? (globals.get(name) ?? null) : expand(fallback, scope())));
          input.variables.push(recorded(name));
        }
        break;
      case 'ENV': {
        const names = new Set(referencedNames(instruction.args));
        for (const [name, raw] of envPairs(instruction.args)) {
          env.set(name, expand(raw, scope()));
          names.add(name);
        }
        input.variables = [...names].map((name) => recorded(name));
        break;
      }
      case 'RUN':
        input.variables = [...new Set([...[...args].filter(([, v]) => v !== null).map(([n]) => n), ...env.keys()])]
          .sort()
          .map((name) => recorded(name));
        break;
      default: {
        input.variables = referencedNames(instruction.args).map((name) => recorded(name));
        if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
          const parsed = copySources(expand(instruction.args, scope()));
          const fromStage = parsed.from === null ? undefined : findStage(stages, parsed.from);
          input.copy = {
            from: fromStage ? fromStage.id : parsed.from,
            fromStage: fromStage !== undefined,
            sources: parsed.sources,
            remote: parsed.remote,
          };
          if (parsed.from !== null && !fromStage) input.base = { ref: parsed.from, digest: null };
        }
      }
    }
    stageEnv.set(stageIndex, env);
    return input;
  });
}

/** The image references the steps read (FROM and COPY --from=<image>), each once: the ones to look up. */
export function baseRefs(inputs: readonly StepInput[]): string[] {
  return [...new Set(inputs.flatMap((i) => (i.base ? [i.base.ref] : [])))];
}

/** The inputs with each base image's digest filled in from `digests` (by reference). */
export function withDigests(inputs: readonly StepInput[], digests: ReadonlyMap<string, string | null>): StepInput[] {
  return inputs.map((i) => (i.base ? { ...i, base: { ref: i.base.ref, digest: digests.get(i.base.ref) ?? null } } : i));
}
