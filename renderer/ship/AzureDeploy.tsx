import { type FormEvent, useEffect, useId, useState } from 'react';
import type { AzureCloud, AzureSignInModel, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrorUnder, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { DeployProgress } from './DeployProgress';
import { ParityOverride } from './ParityOverride';
import { useDeploy } from './use-deploy';

const CLOUDS: { value: AzureCloud; label: string }[] = [
  { value: 'public', label: 'Azure (public)' },
  { value: 'usgov', label: 'Azure US Government' },
  { value: 'china', label: 'Azure China (21Vianet)' },
];

/** Azure App Service: sign in (device code, or the Azure CLI's login), pick or name the resources, deploy. */
export function AzureDeploy({ source }: { source: string }) {
  const status = useProcedure('azure.status', {});
  return (
    <section className="panel deploy-platform" aria-label="Azure App Service">
      <h3>Azure App Service</h3>
      {status.error && <ErrorNotice error={status.error} />}
      {status.data?.signedIn ? (
        <AzureResources source={source} onSignOut={status.reload} />
      ) : (
        status.data && (
          <AzureSignIn cloud={status.data.cloud} cliAvailable={status.data.cliAvailable} onSignedIn={status.reload} />
        )
      )}
    </section>
  );
}

function AzureSignIn({
  cloud: initialCloud,
  cliAvailable,
  onSignedIn,
}: {
  cloud: AzureCloud;
  cliAvailable: boolean;
  onSignedIn: () => void;
}) {
  const api = useApi();
  const [cloud, setCloud] = useState<AzureCloud>(initialCloud);
  const [signInId, setSignInId] = useState<string | null>(null);
  const [model, setModel] = useState<AzureSignInModel | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const cloudId = useId();

  useEffect(() => {
    if (!signInId) return;
    return api.subscribe(
      'azureSignIn',
      { signInId },
      (next) => {
        setModel(next);
        if (next.state === 'signed-in') onSignedIn();
      },
      (e) => setError(toErrorShape(e)),
    );
  }, [api, signInId, onSignedIn]);

  const start = async (method: 'device-code' | 'azure-cli') => {
    setError(null);
    setModel(null);
    try {
      setSignInId((await api.call('azure.signIn', { cloud, method })).signInId);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };
  const waiting = model?.state === 'starting' || model?.state === 'waiting-for-user';
  return (
    <fieldset className="azure-sign-in" aria-label="Azure sign-in">
      <div className="toolbar">
        <label htmlFor={cloudId}>Cloud</label>
        <select id={cloudId} value={cloud} onChange={(e) => setCloud(e.target.value as AzureCloud)}>
          {CLOUDS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <span className="spacer" />
        <Button variant="primary" disabled={waiting} onClick={() => void start('device-code')}>
          Sign in with a code
        </Button>
        {cliAvailable && (
          <Button disabled={waiting} onClick={() => void start('azure-cli')}>
            Use the Azure CLI login
          </Button>
        )}
      </div>
      {model?.state === 'waiting-for-user' && model.userCode && (
        <div className="device-code" role="status">
          <p>
            Open{' '}
            <a href={model.verificationUri ?? '#'} target="_blank" rel="noreferrer noopener">
              {model.verificationUri}
            </a>{' '}
            and enter the code:
          </p>
          <p>
            <code className="device-code-value" title="Device code">
              {model.userCode}
            </code>
          </p>
          <p className="muted">Waiting for you to finish signing in…</p>
        </div>
      )}
      {model?.failure && <ErrorNotice title="Azure sign-in failed" error={model.failure} />}
      {error && <ErrorNotice title="Azure sign-in did not start" error={error} />}
    </fieldset>
  );
}

interface AzureForm {
  resourceGroup: string;
  location: string;
  plan: string;
  site: string;
  image: string;
  port: string;
  registryUrl: string;
  registryUser: string;
  registryPassword: string;
}

function AzureResources({ source, onSignOut }: { source: string; onSignOut: () => void }) {
  const api = useApi();
  const subscriptions = useProcedure('azure.subscriptions', {});
  const [subscriptionId, setSubscriptionId] = useState('');
  const chosenSub = subscriptionId || subscriptions.data?.[0]?.id || '';
  const [form, setForm] = useState<AzureForm>({
    resourceGroup: '',
    location: 'westeurope',
    plan: '',
    site: '',
    image: source,
    port: '',
    registryUrl: '',
    registryUser: '',
    registryPassword: '',
  });
  const [privateRegistry, setPrivateRegistry] = useState(false);
  const [overrideParity, setOverrideParity] = useState(false);
  const [resources, setResources] = useState<{ groups: string[]; plans: string[]; sites: string[] } | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [deployId, setDeployId] = useState<string | null>(null);
  const { model, error: streamError } = useDeploy(deployId);
  const ids = { sub: useId(), groups: useId(), plans: useId(), sites: useId() };
  const set = (patch: Partial<AzureForm>) => {
    setError(null);
    setForm((f) => ({ ...f, ...patch }));
  };

  // A new local image proposes itself as the image to run; typing in the field afterwards wins.
  useEffect(() => {
    if (source) setForm((f) => ({ ...f, image: source }));
  }, [source]);
  useEffect(() => {
    setResources(null);
    if (!chosenSub) return;
    let live = true;
    api.call('azure.resources', { subscriptionId: chosenSub }).then(
      (r) => {
        if (live)
          setResources({
            groups: r.groups.map((g) => g.name),
            plans: r.plans.map((p) => p.name),
            sites: r.sites.map((s) => s.name),
          });
      },
      (e: unknown) => live && setError(toErrorShape(e)),
    );
    return () => {
      live = false;
    };
  }, [api, chosenSub]);

  const deploy = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDeployId(null);
    try {
      const { deployId: id } = await api.call('azure.deploy', {
        subscriptionId: chosenSub,
        resourceGroup: form.resourceGroup.trim(),
        location: form.location.trim(),
        plan: form.plan.trim(),
        site: form.site.trim(),
        image: form.image.trim(),
        ...(source && form.image.trim() !== source && { localImage: source }),
        ...(form.port.trim() && { port: Number(form.port) }),
        ...(privateRegistry && {
          registry: { url: form.registryUrl.trim(), username: form.registryUser, password: form.registryPassword },
        }),
        ...(overrideParity && { overrideParity: true }),
      });
      setDeployId(id);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };
  const field = (name: string) => fieldErrorUnder(error, name);
  const exists = (list: string[] | undefined, name: string) =>
    name && list ? (list.includes(name) ? 'exists' : 'will be created') : undefined;
  return (
    <form className="deploy-form" aria-label="Azure deploy" onSubmit={deploy}>
      <div className="toolbar">
        <span className="muted">Signed in to Azure</span>
        <span className="spacer" />
        <Button
          size="small"
          variant="ghost"
          onClick={async () => {
            await api.call('azure.signOut', {});
            onSignOut();
          }}
        >
          Sign out
        </Button>
      </div>
      {subscriptions.error && <ErrorNotice error={subscriptions.error} />}
      <div className="field">
        <label htmlFor={ids.sub}>Subscription</label>
        <select id={ids.sub} value={chosenSub} onChange={(e) => setSubscriptionId(e.target.value)}>
          {(subscriptions.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </div>
      <div className="split">
        <Field
          label="Resource group"
          error={field('resourceGroup')}
          hint={exists(resources?.groups, form.resourceGroup)}
        >
          <input
            list={ids.groups}
            value={form.resourceGroup}
            onChange={(e) => set({ resourceGroup: e.target.value })}
            spellCheck={false}
          />
        </Field>
        <Field label="Region (for new resources)" error={field('location')}>
          <input value={form.location} onChange={(e) => set({ location: e.target.value })} spellCheck={false} />
        </Field>
      </div>
      <div className="split">
        <Field label="Linux plan" error={field('plan')} hint={exists(resources?.plans, form.plan)}>
          <input
            list={ids.plans}
            value={form.plan}
            onChange={(e) => set({ plan: e.target.value })}
            spellCheck={false}
          />
        </Field>
        <Field label="Web app" error={field('site')} hint={exists(resources?.sites, form.site)}>
          <input
            list={ids.sites}
            value={form.site}
            onChange={(e) => set({ site: e.target.value })}
            spellCheck={false}
          />
        </Field>
      </div>
      {(['groups', 'plans', 'sites'] as const).map((kind) => (
        <datalist key={kind} id={ids[kind]}>
          {(resources?.[kind] ?? []).map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      ))}
      <div className="split">
        <Field
          label="Image App Service pulls"
          error={field('image')}
          hint="as pushed, e.g. user/notas-iv:latest on Docker Hub"
        >
          <input value={form.image} onChange={(e) => set({ image: e.target.value })} spellCheck={false} />
        </Field>
        <Field label="Port (WEBSITES_PORT)" error={field('port')} hint="empty: read from the image (ENV PORT, EXPOSE)">
          <input inputMode="numeric" value={form.port} onChange={(e) => set({ port: e.target.value })} />
        </Field>
      </div>
      <label>
        <input type="checkbox" checked={privateRegistry} onChange={(e) => setPrivateRegistry(e.target.checked)} /> The
        registry is private
      </label>
      {privateRegistry && (
        <div className="split">
          <Field label="Registry URL" error={field('registry.url')}>
            <input value={form.registryUrl} onChange={(e) => set({ registryUrl: e.target.value })} spellCheck={false} />
          </Field>
          <Field label="Registry user" error={field('registry.username')}>
            <input
              value={form.registryUser}
              onChange={(e) => set({ registryUser: e.target.value })}
              spellCheck={false}
            />
          </Field>
          <Field label="Registry password" error={field('registry.password')}>
            <input
              type="password"
              autoComplete="off"
              value={form.registryPassword}
              onChange={(e) => set({ registryPassword: e.target.value })}
            />
          </Field>
        </div>
      )}
      <ParityOverride platform="Azure" checked={overrideParity} onChange={setOverrideParity} />
      <div className="toolbar">
        <span className="spacer" />
        <Button type="submit" variant="primary" disabled={!chosenSub || model?.state === 'running'}>
          Deploy to Azure
        </Button>
      </div>
      {error && <ErrorNotice title="Azure" error={error} />}
      {streamError && <ErrorNotice error={streamError} />}
      {model && (
        <DeployProgress model={model} onCancel={() => void api.call('deploy.cancel', { deployId: model.deployId })} />
      )}
    </form>
  );
}
