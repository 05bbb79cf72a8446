import { type FormEvent, useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldError, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';

export interface Credentials {
  registry: string;
  username: string;
  password: string;
}

interface LoginFormProps {
  credentials: Credentials;
  onChange: (credentials: Credentials) => void;
}

/** Log in to a registry (optionally remembered in the OS keychain); lists the saved logins. */
export function LoginForm({ credentials, onChange }: LoginFormProps) {
  const api = useApi();
  const saved = useProcedure('registry.saved', {});
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // A result speaks of the credentials it was given: editing them clears it.
  const set = (patch: Partial<Credentials>) => {
    setError(null);
    setMessage(null);
    onChange({ ...credentials, ...patch });
  };

  const login = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const result = await api.call('registry.login', { ...credentials, remember });
      setMessage(result.message);
      if (remember) saved.reload();
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" aria-label="Registry login" onSubmit={login}>
      <h3>Registry login</h3>
      <div className="split">
        <Field label="Registry" error={fieldError(error, 'registry')} hint="host[:port], or docker.io for Docker Hub">
          <input value={credentials.registry} onChange={(e) => set({ registry: e.target.value })} spellCheck={false} />
        </Field>
        <Field label="User name" error={fieldError(error, 'username')}>
          <input
            value={credentials.username}
            onChange={(e) => set({ username: e.target.value })}
            autoComplete="username"
          />
        </Field>
        <Field label="Password or token" error={fieldError(error, 'password')}>
          <input
            type="password"
            value={credentials.password}
            onChange={(e) => set({ password: e.target.value })}
            autoComplete="current-password"
          />
        </Field>
      </div>
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember (saved
          encrypted by the OS)
        </label>
        <span className="spacer" />
        <Button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </Button>
      </div>
      {message && <output className="notice">{message}</output>}
      {error && <ErrorNotice title="Login failed" error={error} />}
      {saved.data && saved.data.length > 0 && (
        <ul className="saved-logins" aria-label="Saved logins">
          {saved.data.map((s) => (
            <li key={`${s.registry}/${s.username}`}>
              <button
                type="button"
                className="link-button"
                onClick={() => set({ registry: s.registry, username: s.username, password: '' })}
              >
                {s.username} @ {s.registry}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
