import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  checkNamespace,
  type ErrorShape,
  normalizeRegistry,
  onRegistry,
  type PushModel,
  type PushRequest,
  parseImageReference,
  registryHost,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useNavigation } from '../app/navigation';
import { useProcedure } from '../app/use-procedure';
import { useSessionState } from '../app/use-session-state';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrorUnder, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { DeployPanel } from './DeployPanel';
import { type Credentials, LoginForm } from './LoginForm';
import { NamespaceNotice } from './NamespaceNotice';
import { ParityPanel } from './ParityPanel';
import { PipelinePanel } from './PipelinePanel';
import { PushProgress } from './PushProgress';
import { WatchPanel } from './WatchPanel';
import './ship.css';

const LOCAL_REGISTRY = '127.0.0.1:5000';

/** "latest, 1.2" → ["latest", "1.2"]. */
const tagList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/**
 * Tag and push an image to a registry: the logins the user already has (with their source), a namespace
 * check with a retag, several tags at once, live per-layer progress, the digest and the repository page.
 */
export function ShipView() {
  const api = useApi();
  const { route } = useNavigation();
  const images = useProcedure('images.list', {});
  const logins = useProcedure('registry.logins', {});
  const [alsoTags, setAlsoTags] = useState('');
  const [pushAnyway, setPushAnyway] = useState(false);
  const listId = useId();
  const tags = (images.data ?? []).flatMap((i) => i.tags);
  const [source, setSource] = useState(route.params.source ?? '');
  const [target, setTarget] = useState('');
  const [credentials, setCredentials] = useState<Credentials>({ registry: LOCAL_REGISTRY, username: '', password: '' });
  const [pushId, setPushId] = useSessionState('berth.pushId');
  const [model, setModel] = useState<PushModel | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  useEffect(() => {
    if (!source && tags.length > 0) setSource(tags.find((t) => t.startsWith('notas-iv')) ?? tags[0]!);
  }, [source, tags]);
  useEffect(() => {
    if (!target && source) setTarget(onRegistry(source, credentials.registry || LOCAL_REGISTRY));
  }, [source, target, credentials.registry]);

  useEffect(() => {
    setModel(null);
    if (!pushId) return;
    return api.subscribe('push', { pushId }, setModel, (e) => setError(toErrorShape(e)));
  }, [api, pushId]);

  const push = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setPushId(null);
    const request: PushRequest = { source: source.trim(), target: target.trim() };
    const { registry, username, password } = credentials;
    if (username && password && normalizeRegistry(registry) === registryHost(request.target))
      request.credentials = { registry, username, password };
    const extra = tagList(alsoTags);
    if (extra.length > 0) request.alsoTags = extra;
    if (pushAnyway) request.allowOtherNamespace = true;
    try {
      setPushId((await api.call('push.start', request)).pushId);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const running = model !== null && model.state !== 'succeeded' && model.state !== 'failed';
  // The user name a push would use: the one typed for this registry, else the login in use for it.
  const targetRegistry = target ? registryHost(target.trim()) : '';
  const typed = credentials.username && normalizeRegistry(credentials.registry) === targetRegistry;
  const inUse = logins.data?.logins.find((l) => l.inUse && l.registry === targetRegistry);
  const username = typed ? credentials.username : inUse?.username || null;
  const namespace = parseImageReference(target.trim()) ? checkNamespace(target.trim(), username) : null;
  const blocked = namespace !== null && (namespace.verdict === 'not-yours' || namespace.verdict === 'official');
  return (
    <div className="ship-view">
      <h2>Ship</h2>
      <LoginForm
        credentials={credentials}
        onChange={setCredentials}
        logins={logins.data}
        onLoginsChanged={logins.reload}
      />
      <form className="panel" aria-label="Tag and push" onSubmit={push}>
        <h3>Tag and push</h3>
        <div className="split">
          <Field label="Local image" error={fieldErrorUnder(error, 'source')}>
            <input list={listId} value={source} onChange={(e) => setSource(e.target.value)} spellCheck={false} />
          </Field>
          <datalist id={listId}>
            {tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <Field
            label="Push to"
            error={fieldErrorUnder(error, 'target')}
            hint="registry/name:tag, e.g. 127.0.0.1:5000/notas-iv:latest"
          >
            <input
              value={target}
              onChange={(e) => {
                setTarget(e.target.value);
                setPushAnyway(false);
              }}
              spellCheck={false}
            />
          </Field>
          <Field label="Also tag" hint="more tags of the same repository, e.g. latest; shared layers go up once">
            <input value={alsoTags} onChange={(e) => setAlsoTags(e.target.value)} spellCheck={false} />
          </Field>
        </div>
        {namespace && (
          <NamespaceNotice
            check={namespace}
            pushAnyway={pushAnyway}
            onPushAnyway={setPushAnyway}
            onRetag={(retag) => {
              setTarget(retag);
              setPushAnyway(false);
            }}
          />
        )}
        <div className="toolbar">
          <span className="muted">Registry: {target ? registryHost(target) : '—'}</span>
          <span className="spacer" />
          <Button type="submit" variant="primary" disabled={running || !source || !target || (blocked && !pushAnyway)}>
            Push
          </Button>
        </div>
        {error && <ErrorNotice title="The push did not start" error={error} />}
      </form>
      {model && <PushProgress model={model} />}
      <ParityPanel image={source.trim()} />
      <PipelinePanel credentials={credentials} target={target.trim()} />
      <WatchPanel />
      <DeployPanel source={source.trim()} />
    </div>
  );
}
