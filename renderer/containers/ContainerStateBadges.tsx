import type { ContainerSummary } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';

const STATE_TONE: Record<ContainerSummary['state'], BadgeTone> = {
  created: 'muted',
  running: 'good',
  paused: 'warn',
  restarting: 'warn',
  removing: 'muted',
  exited: 'muted',
  dead: 'bad',
};

const HEALTH_TONE = { starting: 'warn', healthy: 'good', unhealthy: 'bad' } as const;

export function StateBadge({ state }: { state: ContainerSummary['state'] }) {
  return <Badge tone={STATE_TONE[state]}>{state}</Badge>;
}

export function HealthBadge({ health }: { health: ContainerSummary['health'] }) {
  if (!health) return <span className="muted">no check</span>;
  return <Badge tone={HEALTH_TONE[health]}>{health}</Badge>;
}
