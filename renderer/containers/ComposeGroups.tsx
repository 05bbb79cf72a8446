import { useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { useEngineEvents } from '../engine/engine-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';

type Action = 'start' | 'stop' | 'remove';

/** Compose projects with their services and containers, and start, stop or remove for a whole project. */
export function ComposeGroups() {
  const api = useApi();
  const groups = useProcedure('compose.groups', {});
  useEngineEvents('container', groups.reload);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const act = (project: string, action: Action, ids?: string[]) => {
    setBusy(project);
    setError(null);
    setConfirmRemove(null);
    api
      .call('compose.action', { project, action, ...(ids && { ids }) })
      .then((r) => {
        if (r.failed.length > 0)
          setError({
            code: 'CONFLICT',
            message: `${r.failed.length} container(s) of ${project} did not ${action}: ${r.failed.map((f) => f.message).join('; ')}`,
            fix: 'See each container in the list.',
          });
      })
      .catch((e: unknown) => setError(toErrorShape(e)))
      .finally(() => setBusy(null));
  };
  const list = groups.data ?? [];
  // A failed load means the engine failed, which the containers list above already shows.
  if (list.length === 0) return null;
  return (
    <section className="compose-groups" aria-label="Compose projects">
      <h3>Compose projects</h3>
      {error && <ErrorNotice error={error} />}
      <ul>
        {list.map((g) => (
          <li key={g.project}>
            <strong>{g.project}</strong>{' '}
            <span className="compose-services">
              {g.services
                .map((s) => {
                  const running = s.containers.filter((c) => c.state === 'running').length;
                  return `${s.service || '(no service)'} ${running}/${s.containers.length}`;
                })
                .join(' · ')}
            </span>{' '}
            <Button size="small" disabled={busy !== null} onClick={() => act(g.project, 'start')}>
              Start all
            </Button>
            <Button size="small" disabled={busy !== null} onClick={() => act(g.project, 'stop')}>
              Stop all
            </Button>
            {confirmRemove === g.project ? (
              <Button
                size="small"
                variant="danger"
                disabled={busy !== null}
                onClick={() =>
                  act(
                    g.project,
                    'remove',
                    g.services.flatMap((s) => s.containers.map((c) => c.id)),
                  )
                }
              >
                Really remove {g.project}?
              </Button>
            ) : (
              <Button size="small" variant="ghost" onClick={() => setConfirmRemove(g.project)}>
                Remove all
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
