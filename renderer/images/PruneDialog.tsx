import { useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatBytes } from '../ui/format';

/** Confirm, then delete dangling images (untagged leftovers of rebuilds) and say how much was freed. */
export function PruneDialog({
  dangling,
  onClose,
  onPruned,
}: {
  dangling: number;
  onClose: () => void;
  onPruned: (message: string) => void;
}) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const prune = () => {
    setBusy(true);
    api.call('images.prune', {}).then(
      (r) =>
        onPruned(
          `Deleted ${r.deleted} dangling image${r.deleted === 1 ? '' : 's'}, freed ${formatBytes(r.reclaimedBytes)}.`,
        ),
      (e: unknown) => {
        setBusy(false);
        setError(toErrorShape(e));
      },
    );
  };
  return (
    <Dialog
      title="Prune dangling images?"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" onClick={prune} disabled={busy}>
            Prune
          </Button>
        </>
      }
    >
      <p>
        {dangling} dangling image{dangling === 1 ? '' : 's'} (tagged &lt;none&gt;) will be deleted. Tagged images are
        kept.
      </p>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
