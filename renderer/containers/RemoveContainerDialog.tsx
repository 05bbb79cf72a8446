import { useState } from 'react';
import type { ContainerSummary, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';

export function RemoveContainerDialog({ container, onClose }: { container: ContainerSummary; onClose: () => void }) {
  const api = useApi();
  const running = container.state === 'running';
  const [force, setForce] = useState(running);
  const [error, setError] = useState<ErrorShape | null>(null);
  const remove = () =>
    api.call('containers.remove', { id: container.id, force }).then(onClose, (e: unknown) => setError(toErrorShape(e)));
  return (
    <Dialog
      title={`Remove container ${container.name}?`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button variant="danger" onClick={remove}>
            Remove
          </Button>
        </>
      }
    >
      <p>The container and its writable layer are deleted; named volumes are kept.</p>
      <label>
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Stop it first if it is
        running (force)
      </label>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
