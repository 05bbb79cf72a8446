import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type BuildRequestInput,
  type ErrorShape,
  type ProcedureOutput,
  secretArgWarning,
  secretLookingArgs,
} from '../../electron/contract';
import { Button } from '../ui/Button';
import { fieldErrorUnder } from '../ui/errors';
import { Field } from '../ui/Field';
import { fromRecord, type KeyValue, KeyValueRows, toRecord } from '../ui/KeyValueRows';

type ProjectDefaults = ProcedureOutput<'project.default'>;

export const DEFAULT_NODE_IMAGE = 'node:22-alpine';

function argRows(defaults: ProjectDefaults): KeyValue[] {
  const rows = fromRecord(defaults.buildArgs);
  if (!rows.some((r) => r.key === 'NODE_IMAGE')) rows.unshift({ key: 'NODE_IMAGE', value: DEFAULT_NODE_IMAGE });
  return rows;
}

interface BuildFormProps {
  defaults: ProjectDefaults;
  busy: boolean;
  error: ErrorShape | null;
  onStart: (request: BuildRequestInput) => void;
}

/** What to build: context, Dockerfile, build args, tags, cache and builder. Ctrl+Enter starts it. */
export function BuildForm({ defaults, busy, error, onStart }: BuildFormProps) {
  const [contextDir, setContextDir] = useState(defaults.contextDir);
  const [dockerfile, setDockerfile] = useState(defaults.dockerfile);
  const [args, setArgs] = useState(() => argRows(defaults));
  const [tags, setTags] = useState(defaults.tags.join(', '));
  const [noCache, setNoCache] = useState(false);
  const [builder, setBuilder] = useState<'auto' | 'buildkit' | 'legacy'>('auto');

  const start = () => {
    if (busy) return;
    onStart({
      contextDir: contextDir.trim(),
      dockerfile: dockerfile.trim() || 'Dockerfile',
      buildArgs: toRecord(args),
      tags: tags
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean),
      noCache,
      builder,
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

  const argErrors = Object.fromEntries(args.map((a) => [a.key, fieldErrorUnder(error, `buildArgs.${a.key}`)]));
  const secretWarning = secretArgWarning(secretLookingArgs(toRecord(args)));

  return (
    <form className="panel build-form" aria-label="Build settings" onSubmit={onSubmit}>
      <div className="split">
        <Field label="Context folder" error={fieldErrorUnder(error, 'contextDir')} hint="The folder sent to the engine">
          <input value={contextDir} onChange={(e) => setContextDir(e.target.value)} spellCheck={false} />
        </Field>
        <Field label="Dockerfile" error={fieldErrorUnder(error, 'dockerfile')} hint="Relative to the context folder">
          <input value={dockerfile} onChange={(e) => setDockerfile(e.target.value)} spellCheck={false} />
        </Field>
      </div>
      <KeyValueRows legend="Build args" noun="build arg" rows={args} onChange={setArgs} errors={argErrors} />
      {secretWarning && (
        <p className="secret-arg-warning" role="note">
          {secretWarning}
        </p>
      )}
      <div className="split">
        <Field label="Tags" error={fieldErrorUnder(error, 'tags')} hint="Comma separated, e.g. notas-iv:latest">
          <input value={tags} onChange={(e) => setTags(e.target.value)} spellCheck={false} />
        </Field>
        <Field label="Builder">
          <select value={builder} onChange={(e) => setBuilder(e.target.value as typeof builder)}>
            <option value="auto">Auto (BuildKit when the engine has it)</option>
            <option value="buildkit">BuildKit</option>
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
        <Button type="submit" variant="primary" disabled={busy} aria-keyshortcuts="Control+Enter">
          Start build{' '}
          <span className="kbd-hint" aria-hidden="true">
            Ctrl+Enter
          </span>
        </Button>
      </div>
    </form>
  );
}
