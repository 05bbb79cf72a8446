import type { ContainerSummary } from '../../electron/contract';
import { formatUptime } from '../ui/format';

/** The engine's "… ago" tail ("5 seconds ago", "About a minute ago", "Less than a second ago"). */
const AGO = /\s+(?:about\s+|less than\s+)?(?:an?|\d+)\s+\w+\s+ago$/i;

/**
 * What the Uptime column shows: for a running (or paused) container, the time since the engine's
 * State.StartedAt against `now`, so it moves as the clock ticks; for any other, the engine's status
 * without its relative time ("Exited (3)", "Created"), which would otherwise freeze at the last reload.
 */
export function containerUptime(container: ContainerSummary, now: number): string {
  const up = container.state === 'running' || container.state === 'paused';
  if (up && container.startedAt !== null) {
    const uptime = formatUptime(now - container.startedAt);
    return container.state === 'paused' ? `${uptime} (paused)` : uptime;
  }
  return container.status.replace(AGO, '') || container.state;
}
