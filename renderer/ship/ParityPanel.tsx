import { useState } from 'react';
import { type ErrorShape, PARITY_DEADLINE_MS, type ParityResult, type Platform } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { ParityResultView } from './ParityResultView';

/** The deadline the field accepts, in whole seconds (the contract's own limits: 1 s to 10 minutes). */
const DEADLINE_LIMITS_S = { min: 1, max: 600 } as const;

/** Whole seconds within the limits, or the reason they are not. */
export function parseDeadline(text: string): { seconds: number } | { error: string } {
  const value = text.trim();
  const seconds = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= DEADLINE_LIMITS_S.min && seconds <= DEADLINE_LIMITS_S.max)) {
    return { error: `Give whole seconds, ${DEADLINE_LIMITS_S.min} to ${DEADLINE_LIMITS_S.max}.` };
  }
  return { seconds };
}

/** "Run as Heroku" and "Run as Azure" for a local image: the platform's PORT and variables, checked for HTTP. */
export function ParityPanel({ image }: { image: string }) {
  const api = useApi();
  const [running, setRunning] = useState<Platform | null>(null);
  const [results, setResults] = useState<Partial<Record<Platform, ParityResult>>>({});
  const [error, setError] = useState<ErrorShape | null>(null);
  const [deadline, setDeadline] = useState(String(PARITY_DEADLINE_MS / 1000));
  const parsedDeadline = parseDeadline(deadline);
  const deadlineError = 'error' in parsedDeadline ? parsedDeadline.error : undefined;

  const run = async (platform: Platform) => {
    if (!('seconds' in parsedDeadline)) return;
    setRunning(platform);
    setError(null);
    try {
      const result = await api.call('parity.run', { image, platform, deadlineMs: parsedDeadline.seconds * 1000 });
      setResults((r) => ({ ...r, [platform]: result }));
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setRunning(null);
    }
  };

  return (
    <section className="panel" aria-label="Platform-parity runs">
      <h3>Platform-parity runs</h3>
      <p className="muted">
        Runs <code>{image || '—'}</code> the way the platform does, and checks that it answers HTTP on $PORT. A deploy
        waits for its run to pass.
      </p>
      <Field label="Deadline (s)" hint="how long the app may take to answer HTTP on $PORT" error={deadlineError}>
        <input value={deadline} inputMode="numeric" onChange={(e) => setDeadline(e.target.value)} />
      </Field>
      <div className="toolbar">
        <Button onClick={() => run('heroku')} disabled={!image || running !== null || !!deadlineError}>
          {running === 'heroku' ? 'Running as Heroku…' : 'Run as Heroku'}
        </Button>
        <Button onClick={() => run('azure')} disabled={!image || running !== null || !!deadlineError}>
          {running === 'azure' ? 'Running as Azure…' : 'Run as Azure'}
        </Button>
      </div>
      {error && <ErrorNotice title="The parity run did not start" error={error} />}
      {results.heroku && <ParityResultView result={results.heroku} />}
      {results.azure && <ParityResultView result={results.azure} />}
    </section>
  );
}
