import { useState } from 'react';
import type { ImageSummary } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useConfirmedAction } from '../ui/use-confirmed-action';
import { imageName } from './sort-images';

/** Confirm before removing; offer force when the image is in use, and show the engine's CONFLICT as is. */
export function RemoveImageDialog({
  image,
  onClose,
  onRemoved,
}: {
  image: ImageSummary;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const api = useApi();
  const [force, setForce] = useState(false);
  const { busy, error, run } = useConfirmedAction();
  const ref = image.tags[0] ?? image.id;
  const remove = () => run(() => api.call('images.remove', { ref, force }), onRemoved);
  return (
    <Dialog
      title={`Remove ${imageName(image)}?`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button variant="danger" onClick={remove} disabled={busy}>
            {force ? 'Force remove' : 'Remove'}
          </Button>
        </>
      }
    >
      <p>
        This untags <code>{ref}</code> and deletes its layers that no other image uses.
      </p>
      {image.containers > 0 && (
        <p>
          {image.containers} container{image.containers === 1 ? ' uses' : 's use'} this image.
        </p>
      )}
      {(image.containers > 0 || error?.code === 'CONFLICT') && (
        <label>
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (remove even
          though it is in use)
        </label>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
