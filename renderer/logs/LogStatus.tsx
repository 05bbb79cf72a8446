import type { LogRing } from './log-ring';

/**
 * The status line under a log: how many log lines are held, the rotation gaps apart (their marker rows are
 * not lines), and why the stream ended.
 */
export function LogStatus({ ring, ended }: { ring: LogRing; ended: string | null }) {
  const gaps = ring.markers;
  return (
    <p className="muted log-status" aria-live="polite">
      {ring.lineCount.toLocaleString('en')} lines
      {gaps > 0 && ` · ${gaps.toLocaleString('en')} gap${gaps === 1 ? '' : 's'}`}
      {ended && ` — stream ended (${ended.replace('-', ' ')})`}
    </p>
  );
}
