import { useEffect, useState } from 'react';
import type { ContainerEditPreview, ContainerSummary, ErrorShape, RunSpec } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Spinner } from '../ui/Spinner';
import { changesFrom, type EditFormValues, formValues } from './edit-form';

const RESTART: Array<EditFormValues['restart']> = ['no', 'always', 'unless-stopped', 'on-failure'];

/**
 * Change a container's image, ports, env, volumes or restart policy: review the diff of the settings,
 * then recreate it under the same name. If the new one cannot start, the old one is back and the error shown.
 */
export function EditContainerDialog({ container, onClose }: { container: ContainerSummary; onClose: () => void }) {
  const api = useApi();
  const [current, setCurrent] = useState<RunSpec | null>(null);
  const [values, setValues] = useState<EditFormValues | null>(null);
  const [review, setReview] = useState<ContainerEditPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  useEffect(() => {
    api.call('containers.editPreview', { id: container.id, changes: {} }).then(
      (p) => {
        setCurrent(p.before);
        setValues(formValues(p.before));
      },
      (e: unknown) => setError(toErrorShape(e)),
    );
  }, [api, container.id]);

  const set = (key: keyof EditFormValues) => (e: { target: { value: string } }) => {
    setReview(null);
    setValues((v) => (v ? { ...v, [key]: e.target.value } : v));
  };
  const call = <T,>(promise: Promise<T>, then: (value: T) => void) => {
    setBusy(true);
    setError(null);
    promise.then(then, (e: unknown) => setError(toErrorShape(e))).finally(() => setBusy(false));
  };
  const changes = current && values ? changesFrom(current, values) : {};
  const showDiff = () => call(api.call('containers.editPreview', { id: container.id, changes }), setReview);
  const recreate = () => call(api.call('containers.edit', { id: container.id, changes }), onClose);

  return (
    <Dialog
      title={`Edit ${container.name}`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          {review ? (
            <Button variant="danger" onClick={recreate} disabled={busy || review.changes.length === 0}>
              {busy ? 'Recreating…' : 'Recreate'}
            </Button>
          ) : (
            <Button variant="primary" onClick={showDiff} disabled={busy || !values}>
              Review changes
            </Button>
          )}
        </>
      }
    >
      {!values && !error && <Spinner label="Reading the container’s settings" />}
      {values && (
        <div className="edit-form">
          <label>
            Image
            <input value={values.image} onChange={set('image')} />
          </label>
          <label>
            Ports (host-ip:host-port:container-port/protocol, one a line)
            <textarea rows={2} value={values.ports} onChange={set('ports')} />
          </label>
          <label>
            Environment (NAME=value, one a line)
            <textarea rows={3} value={values.env} onChange={set('env')} />
          </label>
          <label>
            Volumes (volume-or-/host/path:/container/path[:ro], one a line)
            <textarea rows={2} value={values.volumes} onChange={set('volumes')} />
          </label>
          <label>
            Restart policy
            <select value={values.restart} onChange={set('restart')}>
              {RESTART.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        </div>
      )}
      {review && (
        <section aria-label="Changes">
          {review.changes.length === 0 ? (
            <p>Nothing changed.</p>
          ) : (
            <ul className="edit-diff">
              {review.changes.map((c) => (
                <li key={c.setting}>
                  <strong>{c.setting}</strong>
                  {c.removed.map((line) => (
                    <div key={`-${line}`} className="diff-removed mono">
                      − {line}
                    </div>
                  ))}
                  {c.added.map((line) => (
                    <div key={`+${line}`} className="diff-added mono">
                      + {line}
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          )}
          <p>
            The container is stopped, set aside, and a new one made under the name {container.name}. If the new one
            cannot start, the old one is put back.
          </p>
        </section>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
