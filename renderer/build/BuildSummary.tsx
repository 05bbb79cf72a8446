import type { BuildModel } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatBytes, formatDuration, shortId } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { buildDuration, cacheHits, formatHits, isFinished } from './build-stats';

const STATE_TONE: Record<BuildModel['state'], BadgeTone> = {
  preparing: 'info',
  sending: 'info',
  running: 'info',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'muted',
};

interface BuildSummaryProps {
  model: BuildModel;
  now: number;
  onCancel: () => void;
  cancelling: boolean;
}

/** The build at a glance: state, builder, cache hits, context sent, time, and Cancel while it runs. */
export function BuildSummary({ model, now, onCancel, cancelling }: BuildSummaryProps) {
  const finished = isFinished(model);
  const failingStep = model.steps.find((s) => s.id === model.failure?.stepId);
  return (
    <section className="panel build-summary" aria-label="Current build">
      <div className="toolbar">
        <output aria-label="Build state">
          {!finished && <Spinner label="Building" />} <Badge tone={STATE_TONE[model.state]}>{model.state}</Badge>
        </output>
        <span>
          Builder: <strong data-testid="build-builder">{model.builder === 'buildkit' ? 'BuildKit' : 'legacy'}</strong>
        </span>
        <span data-testid="build-cache-hits">{formatHits(cacheHits(model.steps))}</span>
        <span data-testid="build-context">
          Context: {model.context ? `${formatBytes(model.context.bytes)} in ${model.context.files} files` : '—'}
        </span>
        <span data-testid="build-duration">{formatDuration(buildDuration(model, now))}</span>
        <span className="spacer" />
        {!finished && (
          <Button variant="danger" onClick={onCancel} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel build'}
          </Button>
        )}
      </div>
      {model.state === 'succeeded' && (
        <p>
          Built <code>{model.imageId ? shortId(model.imageId) : ''}</code>
          {model.request.tags.length > 0 && <> and tagged {model.request.tags.join(', ')}</>}.
        </p>
      )}
      {model.failure && (
        <ErrorNotice
          title={failingStep ? `Failed at line ${failingStep.line ?? '?'}: ${failingStep.instruction}` : 'Build failed'}
          error={model.failure}
          action={
            model.failure.exitCode !== null ? <p className="mono">Exit code {model.failure.exitCode}</p> : undefined
          }
        />
      )}
      {model.warnings.length > 0 && (
        <ul className="build-warnings" aria-label="Build warnings">
          {model.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
