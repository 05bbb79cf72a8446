import { useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatBytes } from '../ui/format';

/** Build history retention: keep the context snapshots of the last N builds per project. */
export function BuildRetention() {
  const api = useApi();
  const [keep, setKeep] = useState('10');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const apply = () => {
    setError(null);
    api.call('build.retain', { keepPerProject: Number(keep) }).then(
      (r) =>
        setResult(`Dropped the snapshots of ${r.trimmed.length} older build(s), freed ${formatBytes(r.freedBytes)}.`),
      (e: unknown) => setError(toErrorShape(e)),
    );
  };
  return (
    <section aria-label="Build history">
      <h2>Build history</h2>
      <label className="disk-option">
        Keep the file snapshots of the last{' '}
        <input
          type="number"
          min={1}
          max={10000}
          value={keep}
          aria-label="Builds to keep per project"
          onChange={(e) => setKeep(e.target.value)}
        />{' '}
        builds per project
      </label>{' '}
      <Button onClick={apply}>Apply</Button>
      {result && <p role="status">{result}</p>}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
