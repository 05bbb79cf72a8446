import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ContainerSummary, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { KeyValueRows } from '../ui/KeyValueRows';
import { errorsByFormField, type RunFormValues, toRunSpec, validateRunSpec } from './run-spec';

interface RunFormProps {
  imageTags: string[];
  initialImage: string;
  onRun: (container: ContainerSummary) => void;
}

/** Run an image as the tutorial does: `-e PORT=5000 -p HOST_PORT:5000`, plus name, env and a volume. */
export function RunForm({ imageTags, initialImage, onRun }: RunFormProps) {
  const api = useApi();
  const listId = useId();
  const [values, setValues] = useState<RunFormValues>({
    image: initialImage,
    name: '',
    port: '5000',
    hostPort: '',
    env: [],
    volume: '',
  });
  const [error, setError] = useState<ErrorShape | null>(null);
  const [suggestion, setSuggestion] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RunFormValues>) => setValues((v) => ({ ...v, ...patch }));

  const suggest = (preferred?: number) =>
    api.call('ports.suggest', preferred ? { preferred } : {}).then(
      ({ port }) => port,
      () => null,
    );

  // Offer a free host port up front (the service's own port when it is free).
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    let live = true;
    suggest(5000).then((port) => {
      if (!live || port === null) return;
      setSuggestion(port);
      setValues((v) => (v.hostPort ? v : { ...v, hostPort: String(port) }));
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (initialImage) setValues((v) => (v.image ? v : { ...v, image: initialImage }));
  }, [initialImage]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const spec = toRunSpec(values);
    const invalid = validateRunSpec(spec);
    setError(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      const container = await api.call('containers.run', spec);
      onRun(container);
    } catch (e) {
      const shape = toErrorShape(e);
      setError(shape);
      if (shape.code === 'PORT_TAKEN') setSuggestion(await suggest(Number(values.hostPort) + 1));
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = errorsByFormField(error);
  const portTaken = error?.code === 'PORT_TAKEN' ? [error.message, error.fix].filter(Boolean).join(' ') : undefined;
  const envErrors = Object.fromEntries(
    Object.entries(fieldErrors)
      .filter(([k]) => k.startsWith('env:'))
      .map(([k, v]) => [k.slice(4), v]),
  );

  return (
    <form className="panel run-form" aria-label="Run a container" onSubmit={submit} noValidate>
      <h3>Run a container</h3>
      <div className="split">
        <Field label="Image" error={fieldErrors.image}>
          <input
            list={listId}
            value={values.image}
            onChange={(e) => set({ image: e.target.value })}
            placeholder="notas-iv:latest"
            spellCheck={false}
          />
        </Field>
        <datalist id={listId}>
          {imageTags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <Field label="Container name" error={fieldErrors.name} hint="Optional; the engine picks one otherwise">
          <input
            value={values.name}
            onChange={(e) => set({ name: e.target.value })}
            placeholder="notas"
            spellCheck={false}
          />
        </Field>
        <Field label="PORT" error={fieldErrors.port} hint="Sets -e PORT and the container side of -p">
          <input inputMode="numeric" value={values.port} onChange={(e) => set({ port: e.target.value })} />
        </Field>
        <div>
          <Field
            label="Host port"
            error={fieldErrors.hostPort ?? portTaken}
            hint="Where the browser reaches it on 127.0.0.1"
          >
            <input inputMode="numeric" value={values.hostPort} onChange={(e) => set({ hostPort: e.target.value })} />
          </Field>
          {suggestion !== null && String(suggestion) !== values.hostPort && (
            <Button size="small" onClick={() => set({ hostPort: String(suggestion) })}>
              Use free port {suggestion}
            </Button>
          )}
        </div>
      </div>
      <KeyValueRows
        legend="Other environment variables"
        noun="env var"
        rows={values.env}
        onChange={(env) => set({ env })}
        errors={envErrors}
      />
      <Field label="Volume" error={fieldErrors.volume} hint="name-or-host-path:/container/path, e.g. notas-data:/data">
        <input
          value={values.volume}
          onChange={(e) => set({ volume: e.target.value })}
          placeholder="notas-data:/data"
          spellCheck={false}
        />
      </Field>
      {error && error.code !== 'INVALID_INPUT' && error.code !== 'PORT_TAKEN' && (
        <ErrorNotice title="The container did not start" error={error} />
      )}
      {error?.code === 'INVALID_INPUT' && fieldErrors.other && <ErrorNotice error={error} />}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? 'Starting…' : 'Run'}
      </Button>
    </form>
  );
}
