import { useEffect, useState } from 'react';
import type { CleanupKind, CleanupPreview, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatBytes } from '../ui/format';
import { Spinner } from '../ui/Spinner';

const TITLES: Record<CleanupKind, string> = {
  'dangling-images': 'Remove dangling images',
  'stopped-containers': 'Remove stopped containers',
  'unused-volumes': 'Remove unused volumes',
  'build-cache': 'Remove old build cache',
};

/**
 * One clean-up: the preview (exactly what will go), then the removal of those ids and what it freed.
 * Named volumes are listed only after the user asks for them and confirms a second time.
 */
export function CleanupDialog({
  kind,
  onClose,
  onCleaned,
}: {
  kind: CleanupKind;
  onClose: () => void;
  onCleaned: (message: string) => void;
}) {
  const api = useApi();
  const [days, setDays] = useState(7);
  const [includeNamed, setIncludeNamed] = useState(false);
  const [namedConfirmed, setNamedConfirmed] = useState(false);
  const [preview, setPreview] = useState<CleanupPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const named = includeNamed && namedConfirmed;
  const scope = { kind, olderThanDays: days, includeNamedVolumes: named };
  const scopeKey = JSON.stringify(scope);

  useEffect(() => {
    let current = true;
    setPreview(null);
    setError(null);
    api.call('disk.preview', JSON.parse(scopeKey)).then(
      (p) => current && setPreview(p),
      (e: unknown) => current && setError(toErrorShape(e)),
    );
    return () => {
      current = false;
    };
  }, [api, scopeKey]);

  const clean = () => {
    if (!preview) return;
    setBusy(true);
    api.call('disk.clean', { ...scope, ids: preview.items.map((i) => i.id) }).then(
      (report) => {
        const skipped =
          report.skipped.length > 0 ? ` ${report.skipped.length} skipped (changed since the preview).` : '';
        onCleaned(`Removed ${report.removed.length}, freed ${formatBytes(report.freedBytes)}.${skipped}`);
      },
      (e: unknown) => {
        setBusy(false);
        setError(toErrorShape(e));
      },
    );
  };

  const count = preview?.items.length ?? 0;
  return (
    <Dialog
      title={TITLES[kind]}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" onClick={clean} disabled={busy || !preview || count === 0}>
            Remove {count}
          </Button>
        </>
      }
    >
      {kind === 'build-cache' && (
        <label className="disk-option">
          Not used for{' '}
          <input
            type="number"
            min={0}
            max={3650}
            value={days}
            aria-label="Days"
            onChange={(e) => setDays(Math.max(0, Math.min(3650, Math.trunc(Number(e.target.value) || 0))))}
          />{' '}
          days
        </label>
      )}
      {kind === 'unused-volumes' && (
        <div className="disk-option">
          <label>
            <input
              type="checkbox"
              checked={includeNamed}
              onChange={(e) => {
                setIncludeNamed(e.target.checked);
                setNamedConfirmed(false);
              }}
            />{' '}
            Also named volumes
          </label>
          {includeNamed && (
            <label className="disk-warning">
              <input type="checkbox" checked={namedConfirmed} onChange={(e) => setNamedConfirmed(e.target.checked)} /> I
              understand named volumes often hold data (databases, uploads) that cannot be brought back
            </label>
          )}
        </div>
      )}
      {!preview && !error && <Spinner label="Listing what would be removed" />}
      {preview && (
        <>
          <p>
            {count === 0
              ? 'Nothing to remove.'
              : `${count} item${count === 1 ? '' : 's'}, ${formatBytes(preview.totalBytes)}, will be removed:`}
          </p>
          {count > 0 && (
            <ul className="disk-preview" aria-label="Will be removed">
              {preview.items.map((item) => (
                <li key={item.id}>
                  <span className="mono">{item.name}</span> <span>{formatBytes(item.sizeBytes)}</span>
                  {item.named && <span className="disk-named"> named</span>}
                </li>
              ))}
            </ul>
          )}
          {preview.note && <p className="disk-note">{preview.note}</p>}
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
