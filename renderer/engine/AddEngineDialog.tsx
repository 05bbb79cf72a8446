import { type FormEvent, useState } from 'react';
import { type EngineContext, type ErrorShape, invalidInput, NewEngine } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldError, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';

type Kind = NewEngine['kind'];

const KINDS: Array<{ kind: Kind; label: string }> = [
  { kind: 'unix', label: 'Unix socket' },
  { kind: 'ssh', label: 'SSH' },
  { kind: 'tls', label: 'TCP with TLS' },
];

/** The form's text boxes, all strings until they are checked against the contract. */
interface Draft {
  name: string;
  description: string;
  socketPath: string;
  user: string;
  host: string;
  port: string;
  identityFile: string;
  ca: string;
  cert: string;
  key: string;
}

const EMPTY: Draft = {
  name: '',
  description: '',
  socketPath: '',
  user: '',
  host: '',
  port: '',
  identityFile: '',
  ca: '',
  cert: '',
  key: '',
};

/** What the form says, as the contract's input: empty optional boxes are left out, the port becomes a number. */
function toInput(kind: Kind, d: Draft): unknown {
  const optional = (key: keyof Draft) => (d[key].trim() ? { [key]: d[key].trim() } : {});
  const port = d.port.trim() === '' ? undefined : /^\d+$/.test(d.port.trim()) ? Number(d.port) : d.port;
  const common = { kind, name: d.name.trim(), ...optional('description') };
  if (kind === 'unix') return { ...common, socketPath: d.socketPath.trim() };
  if (kind === 'ssh') {
    return {
      ...common,
      user: d.user.trim(),
      host: d.host.trim(),
      ...(port !== undefined && { port }),
      ...optional('identityFile'),
    };
  }
  return { ...common, host: d.host.trim(), port, ca: d.ca.trim(), cert: d.cert.trim(), key: d.key.trim() };
}

/**
 * Adds an engine: a Unix socket, ssh://user@host[:port] (with a key file, or the SSH agent), or
 * tcp://host:port with TLS (CA, certificate and key files). Saved as a docker context in the CLI's own
 * format; the backend checks the files (readable, PEM) and says which one to fix.
 */
export function AddEngineDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (c: EngineContext) => void }) {
  const api = useApi();
  const [kind, setKind] = useState<Kind>('ssh');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [saving, setSaving] = useState(false);

  const box = (key: keyof Draft, placeholder = '') => (
    <input
      value={draft[key]}
      placeholder={placeholder}
      spellCheck={false}
      onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
    />
  );
  const fieldProps = (key: string) => ({ error: fieldError(error, key) });

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    const parsed = NewEngine.safeParse(toInput(kind, draft));
    if (!parsed.success) {
      setError(invalidInput('the new engine', parsed.error.issues).toShape());
      return;
    }
    setSaving(true);
    setError(null);
    api.call('engine.addContext', parsed.data).then(
      (added) => {
        setSaving(false);
        onAdded(added);
      },
      (e: unknown) => {
        setSaving(false);
        setError(toErrorShape(e));
      },
    );
  };

  return (
    <Dialog
      title="Add an engine"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={() => save()} disabled={saving}>
            {saving ? 'Saving…' : 'Save context'}
          </Button>
        </>
      }
    >
      <form className="add-engine" onSubmit={save} aria-label="New engine">
        <fieldset className="add-engine-kind">
          <legend>Connection</legend>
          {KINDS.map((k) => (
            <label key={k.kind}>
              <input
                type="radio"
                name="engine-kind"
                value={k.kind}
                checked={kind === k.kind}
                onChange={() => {
                  setKind(k.kind);
                  setError(null);
                }}
              />{' '}
              {k.label}
            </label>
          ))}
        </fieldset>
        <Field
          label="Context name"
          hint="Letters, digits, _ . + - ; shown by `docker context ls`"
          {...fieldProps('name')}
        >
          {box('name', 'build-box')}
        </Field>
        <Field label="Description (optional)" {...fieldProps('description')}>
          {box('description')}
        </Field>
        {kind === 'unix' && (
          <Field label="Socket path" {...fieldProps('socketPath')}>
            {box('socketPath', '/run/user/1000/podman/podman.sock')}
          </Field>
        )}
        {kind === 'ssh' && (
          <>
            <Field label="User" {...fieldProps('user')}>
              {box('user', 'deploy')}
            </Field>
            <Field label="Host" {...fieldProps('host')}>
              {box('host', 'buildbox.lan')}
            </Field>
            <Field label="Port (optional)" hint="22 when empty" {...fieldProps('port')}>
              {box('port', '22')}
            </Field>
            <Field
              label="Private key file (optional)"
              hint="Unencrypted PEM key; when empty, the SSH agent (SSH_AUTH_SOCK) or ~/.ssh/id_* is used"
              {...fieldProps('identityFile')}
            >
              {box('identityFile', '/home/me/.ssh/id_ed25519')}
            </Field>
          </>
        )}
        {kind === 'tls' && (
          <>
            <Field label="Host" {...fieldProps('host')}>
              {box('host', '10.0.0.5')}
            </Field>
            <Field label="Port" hint="dockerd's TLS port, usually 2376" {...fieldProps('port')}>
              {box('port', '2376')}
            </Field>
            <Field label="CA certificate (ca.pem)" {...fieldProps('ca')}>
              {box('ca', '/home/me/.docker/ca.pem')}
            </Field>
            <Field label="Client certificate (cert.pem)" {...fieldProps('cert')}>
              {box('cert', '/home/me/.docker/cert.pem')}
            </Field>
            <Field label="Client key (key.pem)" {...fieldProps('key')}>
              {box('key', '/home/me/.docker/key.pem')}
            </Field>
          </>
        )}
        {error && <ErrorNotice title="Could not save the engine" error={error} />}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
