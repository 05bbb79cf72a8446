import { type FormEvent, useEffect, useState } from 'react';
import type { ErrorShape, WatchModel, WatchRound } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { useSessionState } from '../app/use-session-state';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrorUnder, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { formatDuration, shortId } from '../ui/format';
import { useProjectBuild } from './use-project-build';

const ROUND_TONE: Record<WatchRound['state'], BadgeTone> = {
  building: 'info',
  recreating: 'info',
  pushing: 'info',
  succeeded: 'good',
  failed: 'bad',
};

function RoundRow({ round }: { round: WatchRound }) {
  return (
    <li className={`watch-round round-${round.state}`} aria-label={`Round ${round.round}`}>
      <div className="toolbar">
        <strong>Round {round.round}</strong>
        <Badge tone={ROUND_TONE[round.state]}>{round.state}</Badge>
        <span className="muted">{round.changed.join(', ')}</span>
        <span className="spacer" />
        {round.endedAt !== null && <span className="muted">{formatDuration(round.endedAt - round.startedAt)}</span>}
      </div>
      {round.totalSteps > 0 && (
        <p>
          {round.cachedSteps}/{round.totalSteps} steps cached
          {round.missed.length > 0 && (
            <>
              ; rebuilt: <code>{round.missed.join(' · ')}</code>
            </>
          )}
        </p>
      )}
      {round.cacheExplanation && <p className="cache-explanation">Why: {round.cacheExplanation}</p>}
      {round.containerId && <p className="muted">container recreated: {shortId(round.containerId)}</p>}
      {round.digest && (
        <p className="muted">
          pushed <code>{round.digest}</code>
        </p>
      )}
      {round.failure && <ErrorNotice error={round.failure} />}
    </li>
  );
}

/** Watch mode: rebuild on every change in the context, recreate the running container, optionally push. */
export function WatchPanel() {
  const api = useApi();
  const { contextDir, setContextDir, tag, setTag, build } = useProjectBuild();
  const containers = useProcedure('containers.list', {});
  const [container, setContainer] = useState('');
  const [pushTarget, setPushTarget] = useState('');
  const [watchId, setWatchId] = useSessionState('berth.watchId');
  const [model, setModel] = useState<WatchModel | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  useEffect(() => {
    setModel(null);
    if (!watchId) return;
    return api.subscribe('watch', { watchId }, setModel, (e) => setError(toErrorShape(e)));
  }, [api, watchId]);

  const running = (containers.data ?? []).filter((c) => c.state === 'running');
  const watching = model?.state === 'watching';

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { watchId: id } = await api.call('watch.start', {
        build: build(),
        ...(container && { container }),
        ...(pushTarget.trim() && { pushTarget: pushTarget.trim() }),
      });
      setWatchId(id);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const stop = async () => {
    if (!watchId) return;
    try {
      await api.call('watch.stop', { watchId });
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  return (
    <section className="panel" aria-label="Watch mode">
      <form onSubmit={start} aria-label="Watch settings">
        <h3>Watch mode</h3>
        <p className="muted">
          Like Docker Hub's automated builds, on this machine: every change in the context (after .dockerignore)
          rebuilds the image and recreates the container with the same settings.
        </p>
        <div className="split">
          <Field label="Watched folder" error={fieldErrorUnder(error, 'build.contextDir')}>
            <input
              value={contextDir}
              onChange={(e) => setContextDir(e.target.value)}
              disabled={watching}
              spellCheck={false}
            />
          </Field>
          <Field label="Rebuilt tag" error={fieldErrorUnder(error, 'build.tags')}>
            <input value={tag} onChange={(e) => setTag(e.target.value)} disabled={watching} spellCheck={false} />
          </Field>
          <Field label="Container to recreate" error={fieldErrorUnder(error, 'container')}>
            <select value={container} onChange={(e) => setContainer(e.target.value)} disabled={watching}>
              <option value="">none</option>
              {running.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name} ({c.image})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Push after each round (optional)" error={fieldErrorUnder(error, 'pushTarget')}>
            <input
              value={pushTarget}
              onChange={(e) => setPushTarget(e.target.value)}
              disabled={watching}
              spellCheck={false}
            />
          </Field>
        </div>
        <div className="toolbar">
          {watching && <Badge tone="info">watching {model.contextDir}</Badge>}
          {model?.state === 'stopped' && <Badge tone="muted">stopped</Badge>}
          <span className="spacer" />
          {watching ? (
            <Button variant="danger" onClick={stop}>
              Stop watching
            </Button>
          ) : (
            <Button type="submit" variant="primary" disabled={!contextDir}>
              Start watching
            </Button>
          )}
        </div>
        {error && <ErrorNotice title="Watch mode" error={error} />}
      </form>
      {model && model.rounds.length > 0 && (
        <ol className="watch-timeline" aria-label="Watch timeline" reversed>
          {[...model.rounds].reverse().map((round) => (
            <RoundRow key={round.round} round={round} />
          ))}
        </ol>
      )}
      {watching && model.rounds.length === 0 && <p className="muted">Waiting for a change…</p>}
    </section>
  );
}
