import { type FormEvent, useState } from 'react';
import { type ErrorShape, type LoginList, normalizeRegistry } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldError, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { helperForRegistry, keepingLabel, Logins } from './Logins';

export interface Credentials {
  registry: string;
  username: string;
  password: string;
}

interface LoginFormProps {
  credentials: Credentials;
  onChange: (credentials: Credentials) => void;
  /** Every login Berth can use (registry.logins), or null while it loads. */
  logins: LoginList | null;
  onLoginsChanged: () => void;
}

/**
 * Log in to a registry, optionally remembered (through the user's credential helper when one is set, else
 * encrypted by the OS keychain, else in memory for the session); lists every login with its source.
 */
export function LoginForm({ credentials, onChange, logins, onLoginsChanged }: LoginFormProps) {
  const api = useApi();
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
      setMessage(
        result.keeping
          ? `${result.message}: remembered ${keepingLabel(result.keeping, result.helper ?? null)}`
          : result.message,
      );
      if (remember) onLoginsChanged();
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  const logout = async (registry: string) => {
    setError(null);
    setMessage(null);
    try {
      await api.call('registry.logout', { registry });
      setMessage(`Logged out of ${registry}`);
    } catch (e) {
      setError(toErrorShape(e));
    }
    onLoginsChanged();
  };

  const helper = helperForRegistry(logins, normalizeRegistry(credentials.registry));
  const rememberWhere = helper
    ? keepingLabel('helper', helper)
    : logins
      ? keepingLabel(logins.keeping, null)
      : 'saved encrypted by the OS';
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
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember (
          {rememberWhere})
        </label>
        <span className="spacer" />
        <Button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </Button>
      </div>
      {message && <output className="notice">{message}</output>}
      {error && <ErrorNotice title="Login failed" error={error} />}
      {logins && (
        <Logins
          list={logins}
          onPick={(l) => set({ registry: l.registry, username: l.username, password: '' })}
          onLogout={logout}
        />
      )}
    </form>
  );
}
