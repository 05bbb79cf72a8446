import { useRef } from 'react';
import type { SwarmService } from '../../electron/contract';
import { LogFollowControls, useLogDisplay } from '../logs/LogFollowControls';
import { LogStatus } from '../logs/LogStatus';
import { LogViewport, type LogViewportHandle } from '../logs/LogViewport';
import { useLogStream } from '../logs/use-log-stream';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import '../logs/logs.css';

/** The last lines of each task first, then new ones as they come. */
const TAIL = 500;

/**
 * A service's logs, followed live, each line tagged with its task (slot and short task id) in the merged
 * logs' colours: the Logs view's stream, ring, viewport and status line, fed by `services.logStream`.
 */
export function ServiceLogs({ service, onClose }: { service: SwarmService; onClose: () => void }) {
  const logs = useLogStream({ service: service.id }, TAIL);
  const display = useLogDisplay();
  const viewport = useRef<LogViewportHandle>(null);
  return (
    <section className="service-logs" aria-label={`Logs of ${service.name}`}>
      <div className="toolbar">
        <h3>Logs of {service.name}</h3>
        <span className="muted">each line tagged with its task: slot.task id</span>
        <span className="spacer" />
        <LogFollowControls logs={logs} display={display} size="small" />
        <Button size="small" variant="ghost" onClick={onClose}>
          Close logs
        </Button>
      </div>
      {logs.error && <ErrorNotice title="The service log stream stopped" error={logs.error} />}
      <LogViewport
        ring={logs.ring}
        version={logs.version}
        matcher={null}
        showTimestamps={display.showTimestamps}
        follow={display.follow && !logs.paused}
        onUserScrollUp={() => display.setFollow(false)}
        currentMatch={null}
        handle={viewport}
        sources={logs.sources ?? []}
      />
      <LogStatus ring={logs.ring} ended={logs.ended} />
    </section>
  );
}
