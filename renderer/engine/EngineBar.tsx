import type { EngineStatus } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Spinner } from '../ui/Spinner';
import { ContextPicker } from './ContextPicker';
import { useEngine } from './engine-context';

const STATE_TONE: Record<EngineStatus['state'], BadgeTone> = {
  connected: 'good',
  connecting: 'warn',
  disconnected: 'bad',
};

/** The builder a build would use; unknown until a connected engine has said (never a guess while it is down). */
const builderName = (buildkit: boolean | null | undefined): string =>
  buildkit === true ? 'BuildKit' : buildkit === false ? 'legacy' : 'unknown';

/**
 * The top bar: which engine Berth talks to, what it can do (API version, builder, Podman or Docker, Swarm
 * manager; the builder's tooltip says why BuildKit is missing), and whether it answers right now.
 */
export function EngineBar() {
  const { status, error } = useEngine();
  const state = status?.state ?? (error ? 'disconnected' : 'connecting');
  return (
    <header className="engine-bar">
      <span className="brand">Berth</span>
      <dl className="engine-facts">
        <div>
          <dt>Context</dt>
          <dd data-testid="engine-context">
            <ContextPicker current={status?.context ?? null} />
          </dd>
        </div>
        <div>
          <dt>Endpoint</dt>
          <dd data-testid="engine-endpoint">{status?.endpoint ?? '—'}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd data-testid="engine-version">
            {status?.version ?? '—'}
            {status?.apiVersion ? ` (API ${status.apiVersion})` : ''}
          </dd>
        </div>
        <div>
          <dt>Builder</dt>
          <dd data-testid="engine-builder" title={status?.buildkitMissing}>
            {builderName(status?.buildkit)}
          </dd>
        </div>
        {status?.state === 'connected' && (
          <div>
            <dt>Engine</dt>
            <dd data-testid="engine-kind">
              {status.podman ? 'Podman' : 'Docker'}
              {status.swarmManager ? ' · Swarm manager' : ''}
            </dd>
          </div>
        )}
      </dl>
      <output className="engine-state" aria-label="Engine connection" aria-live="polite">
        {state === 'connecting' && <Spinner label="Connecting" />}
        <Badge tone={STATE_TONE[state]}>{state}</Badge>
      </output>
    </header>
  );
}
