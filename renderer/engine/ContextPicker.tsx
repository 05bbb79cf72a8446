import { useEffect, useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { Button } from '../ui/Button';
import { toErrorShape } from '../ui/errors';
import { AddEngineDialog } from './AddEngineDialog';

/**
 * The docker context Berth talks to, and (when there is more than one) a picker to switch: engine.contexts
 * lists them, engine.useContext switches (Berth remembers the choice; the docker CLI's config is not
 * touched). The new status arrives on the engine stream. With one context, or none listed, it is just the
 * name. "Add engine" saves a new context and switches to it.
 */
export function ContextPicker({ current }: { current: string | null }) {
  const api = useApi();
  const contexts = useProcedure('engine.contexts', {});
  const [switching, setSwitching] = useState<string | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [adding, setAdding] = useState(false);
  const reload = contexts.reload;

  // Another window (or the CLI's DOCKER_CONTEXT at start) may change which one is current: list again.
  useEffect(() => {
    if (current) reload();
  }, [current, reload]);

  const list = contexts.data ?? [];
  const addButton = (
    <>
      <Button size="small" variant="ghost" onClick={() => setAdding(true)} aria-label="Add an engine">
        + Add engine
      </Button>
      {adding && (
        <AddEngineDialog
          onClose={() => setAdding(false)}
          onAdded={(added) => {
            setAdding(false);
            reload();
            choose(added.name);
          }}
        />
      )}
    </>
  );

  const choose = (name: string) => {
    setSwitching(name);
    setError(null);
    api.call('engine.useContext', { name }).then(
      () => setSwitching(null),
      (e: unknown) => {
        setSwitching(null);
        setError(toErrorShape(e));
      },
    );
  };

  if (list.length < 2) {
    return (
      <span className="context-picker">
        {current ?? '—'} {addButton}
      </span>
    );
  }

  return (
    <span className="context-picker">
      <select
        aria-label="Docker context"
        value={switching ?? current ?? ''}
        disabled={switching !== null}
        onChange={(e) => choose(e.target.value)}
      >
        {list.map((c) => (
          <option key={c.name} value={c.name} title={c.endpoint}>
            {c.name}
          </option>
        ))}
      </select>
      {addButton}
      {error && (
        <span role="alert" className="context-error">
          {error.message}
          {error.fix ? ` ${error.fix}` : ''}
        </span>
      )}
    </span>
  );
}
