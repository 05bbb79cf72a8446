import { useState } from 'react';
import type { ErrorShape, ParityResult, Platform } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { ParityResultView } from './ParityResultView';

/** "Run as Heroku" and "Run as Azure" for a local image: the platform's PORT and variables, checked for HTTP. */
export function ParityPanel({ image }: { image: string }) {
  const api = useApi();
  const [running, setRunning] = useState<Platform | null>(null);
  const [results, setResults] = useState<Partial<Record<Platform, ParityResult>>>({});
  const [error, setError] = useState<ErrorShape | null>(null);

  const run = async (platform: Platform) => {
    setRunning(platform);
    setError(null);
    try {
      const result = await api.call('parity.run', { image, platform });
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
      <div className="toolbar">
        <Button onClick={() => run('heroku')} disabled={!image || running !== null}>
          {running === 'heroku' ? 'Running as Heroku…' : 'Run as Heroku'}
        </Button>
        <Button onClick={() => run('azure')} disabled={!image || running !== null}>
          {running === 'azure' ? 'Running as Azure…' : 'Run as Azure'}
        </Button>
      </div>
      {error && <ErrorNotice title="The parity run did not start" error={error} />}
      {results.heroku && <ParityResultView result={results.heroku} />}
      {results.azure && <ParityResultView result={results.azure} />}
    </section>
  );
}
