import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type BuildRequestInput,
  type DockerfileOutline,
  type ErrorShape,
  type ProcedureOutput,
  secretArgWarning,
  secretLookingArgs,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { useEngine } from '../engine/engine-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrorUnder, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { KeyValueRows, toRecord } from '../ui/KeyValueRows';
import { Spinner } from '../ui/Spinner';
import { SecretArgChoices, splitSecretArgs } from './SecretArgChoices';
import { DOCKERFILE_READ_DELAY_MS, useDockerfile } from './use-dockerfile';

type ProjectDefaults = ProcedureOutput<'project.default'>;
type DeclaredArg = DockerfileOutline['args'][number];

interface BuildFormProps {
  defaults: ProjectDefaults;
  busy: boolean;
  error: ErrorShape | null;
  onStart: (request: BuildRequestInput) => void;
  /** Tests read the Dockerfile at once; typing waits for a pause. */
  readDelayMs?: number;
}

/** Each ARG name once (its first declaration), in the order of the file. */
function declaredArgs(outline: DockerfileOutline): DeclaredArg[] {
  const seen = new Set<string>();
  return outline.args.filter((arg) => !seen.has(arg.name) && seen.add(arg.name));
}

const stageLabel = (outline: DockerfileOutline, stage: number | null): string => {
  if (stage === null) return 'before the first FROM';
  const named = outline.stages[stage]?.name;
  return named ? `stage ${named}` : `stage ${stage + 1}`;
};

/**
 * What to build: a context folder (typed, picked in the desktop app, or from the recent projects), its
 * Dockerfile, the build args its ARGs declare (defaults shown), a target stage, tags, cache and builder.
 * Ctrl+Enter starts it.
 */
export function BuildForm({ defaults, busy, error, onStart, readDelayMs = DOCKERFILE_READ_DELAY_MS }: BuildFormProps) {
  const api = useApi();
  const recent = useProcedure('project.recent', {});
  const [contextDir, setContextDir] = useState(defaults.contextDir);
  const [dockerfile, setDockerfile] = useState(defaults.dockerfile);
  const [argValues, setArgValues] = useState<Record<string, string>>({});
  const [extraArgs, setExtraArgs] = useState<{ key: string; value: string }[]>([]);
  const [target, setTarget] = useState('');
  const [tags, setTags] = useState(defaults.tags.join(', '));
  const [noCache, setNoCache] = useState(false);
  const [builder, setBuilder] = useState<'auto' | 'buildkit' | 'legacy'>('auto');
  // An engine without BuildKit (Podman, API < 1.39) cannot be asked for it: the choice is disabled, with why.
  const engineStatus = useEngine().status;
  const noBuildkit =
    engineStatus?.buildkit === false ? (engineStatus.buildkitMissing ?? 'This engine has no BuildKit.') : null;
  const [pickError, setPickError] = useState<ErrorShape | null>(null);
  const [delay, setDelay] = useState(0);
  const file = useDockerfile(contextDir, dockerfile, delay);
  const outline = file.status === 'data' ? file.file.outline : null;
  const bundled = file.status === 'data' && file.file.bundled;
  const args = outline ? declaredArgs(outline) : [];
  const stages = outline?.stages.filter((s) => s.name !== null) ?? [];

  // Values belong to one project: another Dockerfile starts from its own defaults. The bundled project builds
  // from a local base image on machines that cannot pull one, so its NODE_IMAGE is pre-filled, and only there.
  const projectId = file.status === 'data' ? `${file.file.contextDir}\0${file.file.dockerfile}` : null;
  const shownProject = useRef<string | null>(null);
  useEffect(() => {
    if (projectId === null || projectId === shownProject.current) return;
    shownProject.current = projectId;
    setArgValues(bundled ? { ...defaults.buildArgs } : {});
  }, [projectId, bundled, defaults.buildArgs]);

  const reloadRecent = recent.reload;
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current && !busy) reloadRecent();
    wasBusy.current = busy;
  }, [busy, reloadRecent]);

  const typed = (set: (value: string) => void) => (value: string) => {
    setDelay(readDelayMs);
    set(value);
  };

  const openProject = (dir: string, file: string, stage: string | null) => {
    setDelay(0);
    setContextDir(dir);
    setDockerfile(file);
    setTarget(stage ?? '');
  };

  const pickFolder = () => {
    setPickError(null);
    api.call('app.pickFolder', contextDir.trim() ? { defaultPath: contextDir.trim() } : {}).then(
      ({ path }) => {
        if (path) openProject(path, 'Dockerfile', null);
      },
      (e: unknown) => setPickError(toErrorShape(e)),
    );
  };

  // Until the Dockerfile is read, its ARGs (and the bundled project's base image) are not known yet.
  const reading = file.status === 'loading';
  /** What the build is given: the Dockerfile's ARGs that have a value, then the other args. */
  const buildArgs = (): Record<string, string> => ({
    ...Object.fromEntries(
      args.flatMap((arg) => {
        const value = argValues[arg.name];
        return value === undefined || value === '' ? [] : [[arg.name, value]];
      }),
    ),
    ...toRecord(extraArgs),
  });
  const [asSecret, setAsSecret] = useState<Set<string>>(() => new Set());
  // Secrets need a BuildKit session: on an engine without BuildKit, or with the legacy builder chosen, none is sent.
  const secretsUnavailable = noBuildkit
    ? `Secrets need BuildKit. ${noBuildkit}`
    : builder === 'legacy'
      ? 'The legacy builder cannot take BuildKit secrets: choose Auto or BuildKit to pass one.'
      : null;
  const sentAsSecret = secretsUnavailable ? new Set<string>() : asSecret;

  const start = () => {
    if (busy || reading) return;
    onStart({
      contextDir: contextDir.trim(),
      dockerfile: dockerfile.trim() || 'Dockerfile',
      ...splitSecretArgs(buildArgs(), sentAsSecret),
      ...(target && { target }),
      tags: tags
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean),
      noCache,
      builder: noBuildkit && builder === 'buildkit' ? 'legacy' : builder,
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    start();
  };

  const latestStart = useRef(start);
  latestStart.current = start;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        latestStart.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const argError = (name: string) => fieldErrorUnder(error, `buildArgs.${name}`);
  const extraErrors = Object.fromEntries(extraArgs.map((a) => [a.key, argError(a.key)]));
  const recentProjects = recent.data ?? [];
  const secretLooking = secretLookingArgs(buildArgs());
  const secretWarning = secretArgWarning(secretLooking.filter((name) => !sentAsSecret.has(name)));

  return (
    <form className="panel build-form" aria-label="Build settings" onSubmit={onSubmit}>
      <div className="split">
        <Field
          label="Context folder"
          error={fieldErrorUnder(error, 'contextDir')}
          hint={
            defaults.folderPicker
              ? 'The folder sent to the engine'
              : 'The folder sent to the engine. In the browser, Berth cannot open a folder dialog on the machine it runs on: type the full path, or choose a recent project.'
          }
        >
          <input value={contextDir} onChange={(e) => typed(setContextDir)(e.target.value)} spellCheck={false} />
        </Field>
        <Field label="Dockerfile" error={fieldErrorUnder(error, 'dockerfile')} hint="Relative to the context folder">
          <input value={dockerfile} onChange={(e) => typed(setDockerfile)(e.target.value)} spellCheck={false} />
        </Field>
      </div>
      <div className="toolbar project-picker">
        {defaults.folderPicker && (
          <Button size="small" onClick={pickFolder}>
            Choose folder…
          </Button>
        )}
        <label className="recent-projects">
          Recent projects{' '}
          <select
            value=""
            disabled={recentProjects.length === 0}
            onChange={(e) => {
              const chosen = recentProjects[Number(e.target.value)];
              if (chosen) openProject(chosen.contextDir, chosen.dockerfile, chosen.target);
            }}
          >
            <option value="">{recentProjects.length === 0 ? 'none yet' : 'Choose…'}</option>
            {recentProjects.map((p, i) => (
              <option key={`${p.contextDir}|${p.dockerfile}|${p.target ?? ''}`} value={i}>
                {p.contextDir}
                {p.dockerfile === 'Dockerfile' ? '' : ` · ${p.dockerfile}`}
                {p.target ? ` → ${p.target}` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {pickError && <ErrorNotice title="No folder dialog" error={pickError} />}

      <fieldset className="dockerfile-args" aria-busy={file.status === 'loading'}>
        <legend>Build args from the Dockerfile</legend>
        {file.status === 'loading' && <Spinner label="Reading the Dockerfile" />}
        {file.status === 'error' && <ErrorNotice title="Cannot read the Dockerfile" error={file.error} />}
        {outline && args.length === 0 && <p className="muted">The Dockerfile declares no ARG.</p>}
        {outline &&
          args.map((arg) => (
            <Field
              key={arg.name}
              label={arg.name}
              error={argError(arg.name)}
              hint={`${arg.defaultValue === null ? 'No default' : `Default: ${arg.defaultValue || '(empty)'}`} · line ${arg.line}, ${stageLabel(outline, arg.stage)}${bundled && defaults.buildArgs[arg.name] !== undefined ? ' · local base image of the bundled project' : ''}`}
            >
              <input
                value={argValues[arg.name] ?? ''}
                placeholder={arg.defaultValue ?? ''}
                onChange={(e) => setArgValues((v) => ({ ...v, [arg.name]: e.target.value }))}
                spellCheck={false}
              />
            </Field>
          ))}
      </fieldset>
      <KeyValueRows
        legend="Other build args"
        noun="other build arg"
        rows={extraArgs}
        onChange={setExtraArgs}
        errors={extraErrors}
      />
      <SecretArgChoices
        names={secretLooking}
        asSecret={asSecret}
        onChange={setAsSecret}
        unavailable={secretsUnavailable}
      />
      {secretWarning && (
        <p className="secret-arg-warning" role="note">
          {secretWarning}
        </p>
      )}
      <div className="split build-options">
        <Field
          label="Target stage"
          error={fieldErrorUnder(error, 'target')}
          hint={
            outline && stages.length === 0
              ? 'The Dockerfile names no stage (FROM … AS name), so it builds to the last one'
              : 'Build up to this stage (--target)'
          }
        >
          <select value={target} onChange={(e) => setTarget(e.target.value)} disabled={stages.length === 0 && !target}>
            <option value="">Last stage (default)</option>
            {target && !stages.some((s) => s.name === target) && (
              <option value={target}>
                {target}
                {outline ? ' (not a stage of this Dockerfile)' : ''}
              </option>
            )}
            {stages.map((s) => (
              <option key={s.index} value={s.name ?? ''}>
                {s.name} (line {s.line}, FROM {s.base})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tags" error={fieldErrorUnder(error, 'tags')} hint="Comma separated, e.g. notas-iv:latest">
          <input value={tags} onChange={(e) => setTags(e.target.value)} spellCheck={false} />
        </Field>
        <Field label="Builder" {...(noBuildkit && { hint: noBuildkit })}>
          <select
            value={noBuildkit && builder === 'buildkit' ? 'legacy' : builder}
            onChange={(e) => setBuilder(e.target.value as typeof builder)}
          >
            <option value="auto">Auto (BuildKit when the engine has it)</option>
            <option value="buildkit" disabled={noBuildkit !== null} title={noBuildkit ?? undefined}>
              {noBuildkit ? 'BuildKit (not on this engine)' : 'BuildKit'}
            </option>
            <option value="legacy">Legacy builder</option>
          </select>
        </Field>
      </div>
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={noCache} onChange={(e) => setNoCache(e.target.checked)} /> Do not use the
          cache (--no-cache)
        </label>
        <span className="spacer" />
        <Button type="submit" variant="primary" disabled={busy || reading} aria-keyshortcuts="Control+Enter">
          Start build{' '}
          <span className="kbd-hint" aria-hidden="true">
            Ctrl+Enter
          </span>
        </Button>
      </div>
    </form>
  );
}
