import { useState } from 'react';
import type { ContainerSummary, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useNavigation } from '../app/navigation';
import { Button } from '../ui/Button';
import { toErrorShape } from '../ui/errors';

type Action = 'containers.start' | 'containers.stop' | 'containers.restart' | 'containers.recreate';

/** Start/stop/restart/recreate/remove one container; errors go up to the view to show. */
export function ContainerActions({
  container,
  onError,
  onRemove,
  onTerminal,
  onEdit,
  onFiles,
}: {
  container: ContainerSummary;
  onError: (error: ErrorShape | null) => void;
  onRemove: () => void;
  /** Opens a shell in the (running) container. */
  onTerminal?: () => void;
  onEdit?: () => void;
  /** Opens the container's files (browse, download, upload). */
  onFiles?: () => void;
}) {
  const api = useApi();
  const { navigate } = useNavigation();
  const [busy, setBusy] = useState<string | null>(null);
  const run = (action: Action) => {
    setBusy(action);
    onError(null);
    api
      .call(action, { id: container.id })
      .catch((e: unknown) => onError(toErrorShape(e)))
      .finally(() => setBusy(null));
  };
  const running = container.state === 'running' || container.state === 'restarting';
  const name = container.name;
  return (
    <span className="row-actions">
      {running ? (
        <Button
          size="small"
          disabled={busy !== null}
          onClick={() => run('containers.stop')}
          aria-label={`Stop ${name}`}
        >
          Stop
        </Button>
      ) : (
        <Button
          size="small"
          disabled={busy !== null}
          onClick={() => run('containers.start')}
          aria-label={`Start ${name}`}
        >
          Start
        </Button>
      )}
      <Button
        size="small"
        disabled={busy !== null}
        onClick={() => run('containers.restart')}
        aria-label={`Restart ${name}`}
      >
        Restart
      </Button>
      <Button
        size="small"
        disabled={busy !== null}
        onClick={() => run('containers.recreate')}
        aria-label={`Rebuild and recreate ${name}`}
        title="Rebuild the image, then replace this container with the same settings"
      >
        {busy === 'containers.recreate' ? 'Recreating…' : 'Rebuild & recreate'}
      </Button>
      {running && onTerminal && (
        <Button size="small" onClick={onTerminal} aria-label={`Terminal in ${name}`}>
          Terminal
        </Button>
      )}
      {onEdit && (
        <Button size="small" onClick={onEdit} aria-label={`Edit ${name}`}>
          Edit
        </Button>
      )}
      {onFiles && (
        <Button size="small" onClick={onFiles} aria-label={`Files of ${name}`}>
          Files
        </Button>
      )}
      <Button size="small" onClick={() => navigate('logs', { container: container.id })} aria-label={`Logs of ${name}`}>
        Logs
      </Button>
      <Button size="small" variant="ghost" onClick={onRemove} aria-label={`Remove ${name}`}>
        Remove
      </Button>
    </span>
  );
}
