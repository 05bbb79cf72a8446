import type { ParityResult } from '../../electron/contract';
import { Badge } from '../ui/Badge';
import { formatDuration } from '../ui/format';

const PLATFORM_NAME = { heroku: 'Heroku', azure: 'Azure' } as const;

/** One parity run: passed, or exactly what is wrong, with the ports the app really listened on. */
export function ParityResultView({ result }: { result: ParityResult }) {
  const name = PLATFORM_NAME[result.platform];
  return (
    <section className={`parity-result parity-${result.passed ? 'passed' : 'failed'}`} aria-label={`Run as ${name}`}>
      <div className="toolbar">
        <strong>Run as {name}</strong>
        <Badge tone={result.passed ? 'good' : 'bad'}>{result.passed ? 'passed' : 'failed'}</Badge>
        <span className="muted">
          {result.passed
            ? `HTTP ${result.status} on $PORT (${result.port}) after ${formatDuration(result.elapsedMs)}`
            : `no HTTP answer on $PORT (${result.port}) within ${formatDuration(result.deadlineMs)}`}
        </span>
      </div>
      <code className="parity-command">{result.command}</code>
      {result.problem && (
        <div role="alert" className="parity-problem">
          <p>{result.problem}</p>
          {result.fix && (
            <p>
              <strong>Fix: </strong>
              {result.fix}
            </p>
          )}
          {result.listening && result.listening.length > 0 && (
            <p className="muted">
              Listening inside the container:{' '}
              {result.listening
                .map((s) => `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`)
                .join(', ')}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
