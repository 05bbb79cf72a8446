import { useEffect, useRef } from 'react';
import type { BuildStep, StepState } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { formatDuration } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { stepDuration } from './build-stats';
import type { StepCauseText } from './cache-cause';

export const STATE_LABEL: Record<StepState, string> = {
  queued: 'queued',
  running: 'running',
  cached: 'cached',
  done: 'ran',
  error: 'failed',
  metadata: 'metadata',
  'not-run': 'not run',
};

export const STATE_TONE: Record<StepState, BadgeTone> = {
  queued: 'muted',
  running: 'info',
  cached: 'good',
  done: 'warn',
  error: 'bad',
  metadata: 'neutral',
  'not-run': 'muted',
};

const STATE_TITLE: Partial<Record<StepState, string>> = {
  metadata: 'Sets image configuration only: no layer, nothing to run or cache.',
  'not-run': 'The build ended before this step ran.',
};

const UNKNOWN_STREAM = 'The legacy builder does not say whether a line came from stdout or stderr.';

/** What a terminal shows of a line redrawn with carriage returns: its last version. */
const shown = (text: string): string => text.slice(text.lastIndexOf('\r') + 1);

interface BuildStepRowProps {
  step: BuildStep;
  now: number;
  expanded: boolean;
  onToggle: () => void;
  exitCode?: number | null;
  /** Why the step missed the cache, against the previous build of the project. */
  cause?: StepCauseText | undefined;
  /** Opens a shell in the state just before this (failed) step. */
  onDebug?: (() => void) | undefined;
}

/** One Dockerfile instruction with its line, live state, duration and (expandable) output. */
export function BuildStepRow({ step, now, expanded, onToggle, exitCode, cause, onDebug }: BuildStepRowProps) {
  const duration = stepDuration(step, now);
  const row = useRef<HTMLLIElement>(null);
  const failed = step.state === 'error';
  useEffect(() => {
    if (failed && expanded) row.current?.scrollIntoView?.({ block: 'center' });
  }, [failed, expanded]);
  const logsId = `step-logs-${step.id}`;
  return (
    <li
      ref={row}
      className={`build-step step-${step.state}`}
      aria-label={`Step ${step.index + 1}: ${step.instruction}`}
    >
      <div className="step-head">
        <span className="step-line" title="Dockerfile line">
          {step.line ?? ''}
        </span>
        <button
          type="button"
          className="step-toggle"
          aria-expanded={expanded}
          aria-controls={logsId}
          aria-label={`Show output of ${step.instruction}`}
          onClick={onToggle}
        >
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
        </button>
        <code className="step-instruction">{step.instruction}</code>
        <span className="step-state" data-testid="step-state">
          {step.state === 'running' && <Spinner label="Running" />}
          <Badge tone={STATE_TONE[step.state]} title={STATE_TITLE[step.state]}>
            {STATE_LABEL[step.state]}
          </Badge>
          {step.metadataOnly && step.state !== 'metadata' && (
            <span className="step-no-layer" title="This instruction changes only the image configuration.">
              no layer
            </span>
          )}
        </span>
        <span className="step-duration">
          {duration !== null && (step.state === 'done' || step.state === 'running' || step.state === 'error')
            ? formatDuration(duration)
            : ''}
        </span>
      </div>
      {cause && (
        <p className={`step-cause step-cause-${cause.role}`} data-testid="step-cause">
          <span className="step-cause-label">{cause.role === 'cause' ? 'Why it ran:' : 'Consequence:'}</span>{' '}
          {cause.text}
        </p>
      )}
      {expanded && (
        <div id={logsId} className="step-output">
          {failed && (
            <p className="step-failure" role="alert">
              {step.error ?? 'This step failed.'}
              {exitCode !== undefined && exitCode !== null && <strong> Exit code {exitCode}.</strong>}
            </p>
          )}
          {failed && onDebug && (
            <Button
              size="small"
              onClick={onDebug}
              title="Open a shell in the state just before this step, with the failing command typed at the prompt"
            >
              Debug this step
            </Button>
          )}
          {step.logsDropped > 0 && <p className="muted">… {step.logsDropped} earlier lines not kept</p>}
          {step.logs.some((l) => l.stream === 'unknown') && <p className="muted step-stream-note">{UNKNOWN_STREAM}</p>}
          {step.logs.length > 0 ? (
            <pre>
              {step.logs.map((l, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: log lines are append-only
                <span key={i} className={l.stream === 'stdout' ? undefined : l.stream} data-stream={l.stream}>
                  {shown(l.text)}
                  {'\n'}
                </span>
              ))}
            </pre>
          ) : (
            <p className="muted">No output.</p>
          )}
        </div>
      )}
    </li>
  );
}
