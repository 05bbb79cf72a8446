import { useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Spinner } from '../ui/Spinner';
import { useEngine } from './engine-context';

const FALLBACK: ErrorShape = {
  code: 'ENGINE_UNREACHABLE',
  message: 'The Docker engine does not answer.',
  fix: 'Start Docker (for example `sudo dockerd` or Docker Desktop), or set DOCKER_HOST to a running engine.',
};

/** Shown instead of a view while the engine is down; it goes away by itself when the engine is back. */
export function EngineDownScreen({ error, endpoint }: { error: ErrorShape | null | undefined; endpoint?: string }) {
  const { refresh } = useEngine();
  const [checking, setChecking] = useState(false);
  const check = () => {
    setChecking(true);
    refresh().finally(() => setChecking(false));
  };
  return (
    <section className="engine-down" aria-label="Engine unreachable">
      <h2>Docker engine unreachable{endpoint ? ` at ${endpoint}` : ''}</h2>
      <ErrorNotice error={error ?? FALLBACK} />
      <p className="muted">
        Berth is listening for the engine and will come back here on its own as soon as it answers.
      </p>
      <Button onClick={check} disabled={checking}>
        {checking ? <Spinner label="Checking" /> : null} Check now
      </Button>
    </section>
  );
}
