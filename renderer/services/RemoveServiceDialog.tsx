import type { SwarmService } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useConfirmedAction } from '../ui/use-confirmed-action';

/**
 * Confirm before removing a Swarm service, as the other views do before anything destructive: it names the
 * service and what goes with it (its tasks' containers). Focus starts on "Keep it"; Escape keeps it too.
 */
export function RemoveServiceDialog({
  service,
  onClose,
  onRemoved,
}: {
  service: SwarmService;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const api = useApi();
  const { busy, error, run } = useConfirmedAction();
  const live = service.tasks.filter((t) => t.desiredState === 'running').length;
  const remove = () => run(() => api.call('services.remove', { ref: service.id }), onRemoved);
  return (
    <Dialog
      title={`Remove service ${service.name}?`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button variant="danger" onClick={remove} disabled={busy}>
            Remove
          </Button>
        </>
      }
    >
      <p>
        The service <code>{service.name}</code> ({service.image}) is removed from the swarm, and its{' '}
        {live === 1 ? 'running task is' : `${live} running tasks are`} stopped and their containers deleted. The image
        and named volumes are kept.
      </p>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
