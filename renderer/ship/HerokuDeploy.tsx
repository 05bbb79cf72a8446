import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldError, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { DeployProgress } from './DeployProgress';
import { ParityOverride } from './ParityOverride';
import { useDeploy } from './use-deploy';

/**
 * Heroku: the API key, then pick or create the app, and deploy the local image through Heroku's container
 * registry and Platform API. heroku.yml is checked too, though only Heroku's own builds read it.
 */
export function HerokuDeploy({ source, contextDir }: { source: string; contextDir: string | null }) {
  const api = useApi();
  const status = useProcedure('heroku.status', {});
  const signedIn = status.data?.signedIn ?? false;
  return (
    <section className="panel deploy-platform" aria-label="Heroku">
      <h3>Heroku</h3>
      {status.error && <ErrorNotice error={status.error} />}
      {signedIn ? (
        <HerokuApps
          source={source}
          contextDir={contextDir}
          email={status.data?.email ?? null}
          onSignOut={async () => {
            await api.call('heroku.signOut', {});
            status.reload();
          }}
        />
      ) : (
        status.data && <HerokuSignIn onSignedIn={status.reload} />
      )}
    </section>
  );
}

function HerokuSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const api = useApi();
  const [apiKey, setApiKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('heroku.signIn', { apiKey, remember });
      setApiKey('');
      onSignedIn();
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form aria-label="Heroku sign-in" onSubmit={submit}>
      <Field
        label="Heroku API key"
        hint="heroku auth:token, or Account settings → API key"
        error={fieldError(error, 'apiKey')}
      >
        <input
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => {
            setApiKey(e.target.value);
            setError(null);
          }}
        />
      </Field>
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember the key
        </label>
        <span className="spacer" />
        <Button type="submit" variant="primary" disabled={busy || !apiKey}>
          Sign in to Heroku
        </Button>
      </div>
      {error && <ErrorNotice title="Heroku did not accept the key" error={error} />}
    </form>
  );
}

/** The deploy step that moves the app to the container stack (core/deploy/heroku-deploy.ts HEROKU_STEPS). */
const STACK_STEP = 'Set the container stack';

function HerokuApps({
  source,
  contextDir,
  email,
  onSignOut,
}: {
  source: string;
  contextDir: string | null;
  email: string | null;
  onSignOut: () => void;
}) {
  const api = useApi();
  const apps = useProcedure('heroku.apps', {});
  const [app, setApp] = useState('');
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<ErrorShape | null>(null);
  const [deployId, setDeployId] = useState<string | null>(null);
  const { model, error: streamError } = useDeploy(deployId);
  const selectId = useId();
  const chosen = app || apps.data?.[0]?.name || '';
  const chosenApp = apps.data?.find((a) => a.name === chosen);

  const create = async () => {
    setError(null);
    try {
      const created = await api.call('heroku.createApp', { name: newName.trim() });
      setNewName('');
      setApp(created.name);
      apps.reload();
    } catch (e) {
      setError(toErrorShape(e));
    }
  };
  const [overrideParity, setOverrideParity] = useState(false);
  const deploy = async () => {
    setError(null);
    setDeployId(null);
    try {
      const request = { source, app: chosen, ...(overrideParity && { overrideParity: true }) };
      setDeployId((await api.call('heroku.deploy', request)).deployId);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };
  const running = model?.state === 'running';
  // The deploy may set the app's container stack, and a release makes it the app's stack: the list says
  // which stack each app is on, so it is read again once the stack was set and once the deploy has ended.
  const stackSet = model?.steps.some((s) => s.name === STACK_STEP && s.state === 'done') ?? false;
  const ended = model !== null && model.state !== 'running';
  const reloadApps = apps.reload;
  useEffect(() => {
    if (stackSet || ended) reloadApps();
  }, [stackSet, ended, reloadApps]);
  return (
    <div className="deploy-form">
      <div className="toolbar">
        <span className="muted">Signed in{email ? ` as ${email}` : ''}</span>
        <span className="spacer" />
        <Button size="small" variant="ghost" onClick={onSignOut}>
          Sign out
        </Button>
      </div>
      {apps.error && <ErrorNotice error={apps.error} />}
      <div className="split">
        <div className="field">
          <label htmlFor={selectId}>App</label>
          <select id={selectId} value={chosen} onChange={(e) => setApp(e.target.value)}>
            {(apps.data ?? []).map((a) => (
              <option key={a.name} value={a.name}>
                {a.name} ({a.stack}
                {a.buildStack && a.buildStack !== a.stack ? `, ${a.buildStack} from the next release` : ''})
              </option>
            ))}
          </select>
        </div>
        <Field label="New app name" error={fieldError(error, 'name')}>
          <input value={newName} onChange={(e) => setNewName(e.target.value)} spellCheck={false} />
        </Field>
        <Button onClick={create} disabled={!newName.trim()}>
          Create app
        </Button>
      </div>
      {chosenApp && chosenApp.stack !== 'container' && chosenApp.buildStack !== 'container' && (
        <p className="muted">This app is on {chosenApp.stack}: the deploy sets the container stack first.</p>
      )}
      {contextDir && <HerokuYml contextDir={contextDir} />}
      <ParityOverride platform="Heroku" checked={overrideParity} onChange={setOverrideParity} />
      <div className="toolbar">
        <span className="muted">
          Image: <code>{source || '—'}</code>
        </span>
        <span className="spacer" />
        <Button variant="primary" onClick={deploy} disabled={!source || !chosen || running}>
          Deploy to Heroku
        </Button>
      </div>
      {error && <ErrorNotice title="Heroku" error={error} />}
      {streamError && <ErrorNotice error={streamError} />}
      {model && (
        <DeployProgress model={model} onCancel={() => void api.call('deploy.cancel', { deployId: model.deployId })} />
      )}
    </div>
  );
}

function HerokuYml({ contextDir }: { contextDir: string }) {
  const check = useProcedure('heroku.checkYml', { contextDir });
  if (!check.data?.found) return null;
  const { problems } = check.data;
  return (
    <section className="heroku-yml" aria-label="heroku.yml check">
      <p className="muted">
        heroku.yml:{' '}
        {problems.length === 0 ? 'no mistakes' : `${problems.length} mistake${problems.length > 1 ? 's' : ''}`} (read
        only when Heroku builds from git; this deploy pushes a built image)
      </p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={`${p.line}-${p.message}`}>
              line {p.line}: {p.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
