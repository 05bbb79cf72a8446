import type { ContainerSummary } from '../../electron/contract';
import { HealthBadge, StateBadge } from './ContainerStateBadges';
import { PortLink } from './PortLink';

/** Right after a run: where to open it and whether its health check passes yet. */
export function RunResult({ container }: { container: ContainerSummary }) {
  return (
    <section className="panel run-result" aria-label="Started container">
      <strong className="mono">{container.name}</strong> <StateBadge state={container.state} /> Health:{' '}
      <HealthBadge health={container.health} />
      {container.ports.length > 0 && (
        <>
          {' '}
          Open:{' '}
          {container.ports.map((p) => (
            <PortLink key={`${p.hostIp}:${p.hostPort}/${p.protocol}`} port={p} />
          ))}
        </>
      )}
    </section>
  );
}
