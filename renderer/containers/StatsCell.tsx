import { useEffect, useRef, useState } from 'react';
import type { ContainerSummary, StatsSample } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { formatBytes } from '../ui/format';
import { pushSample, sparklinePoints } from './stats-ring';

/** True while the element is on screen (always true where IntersectionObserver is missing). */
function useVisible<E extends Element>(): [React.RefObject<E | null>, boolean] {
  const ref = useRef<E>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, visible];
}

function Sparkline({ values, label, floor }: { values: number[]; label: string; floor?: number }) {
  return (
    <svg className="sparkline" width="80" height="18" role="img" aria-label={label}>
      <polyline points={sparklinePoints(values, 80, 18, floor)} fill="none" stroke="currentColor" />
    </svg>
  );
}

/**
 * CPU, memory, network and block I/O of one running container with 10-minute sparklines. The stats stream
 * is open only while the cell is on screen and the container runs; it closes when either stops.
 */
export function StatsCell({ container }: { container: ContainerSummary }) {
  const api = useApi();
  const [ref, visible] = useVisible<HTMLSpanElement>();
  const [samples, setSamples] = useState<StatsSample[]>([]);
  const running = container.state === 'running';
  useEffect(() => {
    if (!visible || !running) return;
    return api.subscribe('stats', { id: container.id }, (event) => {
      if (event.kind === 'sample') setSamples((previous) => pushSample(previous, event.sample));
    });
  }, [api, container.id, visible, running]);

  const last = samples[samples.length - 1];
  return (
    <span ref={ref} className="stats-cell">
      {!running ? (
        '—'
      ) : !last ? (
        <span className="stats-waiting">…</span>
      ) : (
        <>
          <span className="stats-row" title="CPU (100% = one core)">
            <Sparkline values={samples.map((s) => s.cpuPercent)} label={`CPU of ${container.name}`} floor={100} />
            {last.cpuPercent.toFixed(0)}%
          </span>
          <span className="stats-row" title="Memory">
            <Sparkline values={samples.map((s) => s.memoryBytes)} label={`Memory of ${container.name}`} />
            {formatBytes(last.memoryBytes)}
          </span>
          <span className="stats-io" title="Network received / sent, block read / written">
            net {formatBytes(last.netRxBytes)}/{formatBytes(last.netTxBytes)} · io {formatBytes(last.blockReadBytes)}/
            {formatBytes(last.blockWriteBytes)}
          </span>
        </>
      )}
    </span>
  );
}
