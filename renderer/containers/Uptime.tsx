import type { ContainerSummary } from '../../electron/contract';
import { useNow } from '../ui/use-now';
import { containerUptime } from './uptime';

/** One container's uptime; only a running or paused one ticks (every second: uptimes count whole seconds). */
export function Uptime({ container }: { container: ContainerSummary }) {
  const now = useNow(container.state === 'running' || container.state === 'paused', 1000);
  return <span className="nowrap">{containerUptime(container, now)}</span>;
}
