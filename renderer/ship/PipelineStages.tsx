import type { PipelineModel, PipelineStage } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatDuration } from '../ui/format';
import { useNow } from '../ui/use-now';
import { ParityResultView } from './ParityResultView';

const TONE: Record<PipelineStage['state'], BadgeTone> = {
  pending: 'muted',
  running: 'info',
  succeeded: 'good',
  failed: 'bad',
  skipped: 'muted',
  kept: 'neutral',
};

const STAGE_LABEL: Record<PipelineStage['name'], string> = {
  build: 'Build',
  parity: 'Parity run',
  tag: 'Tag',
  push: 'Push',
  deploy: 'Deploy',
};

function stageTime(stage: PipelineStage, now: number): string {
  if (stage.startedAt === null) return '—';
  return formatDuration((stage.endedAt ?? now) - stage.startedAt);
}

/** The pipeline's stages with state and time, the parity verdicts, and "Resume" on a failed run. */
export function PipelineStages({ model, onResume }: { model: PipelineModel; onResume?: (override: boolean) => void }) {
  const now = useNow(model.endedAt === null, 500);
  const failed = model.stages.findLast((s) => s.state === 'failed');
  const parityFailedForDeploy =
    failed?.name === 'parity' && model.request.deploy !== undefined && !model.request.deploy.overrideParity;
  return (
    <section className="panel pipeline" aria-label="Pipeline run">
      <div className="toolbar">
        <h3>Pipeline</h3>
        <Badge tone={model.state === 'succeeded' ? 'good' : model.state === 'running' ? 'info' : 'bad'}>
          {model.state}
        </Badge>
        {model.resumedFrom && <span className="muted">resumed from {model.resumedFrom.slice(0, 8)}</span>}
        {model.parityOverridden && <Badge tone="warn">parity overridden by the user</Badge>}
        <span className="spacer" />
        {model.endedAt !== null && <span className="muted">{formatDuration(model.endedAt - model.startedAt)}</span>}
      </div>
      <ol className="pipeline-stages">
        {model.stages.map((stage) => (
          <li key={stage.name} className={`pipeline-stage stage-${stage.state}`} aria-label={STAGE_LABEL[stage.name]}>
            <span className="stage-name">{STAGE_LABEL[stage.name]}</span>
            <Badge tone={TONE[stage.state]}>{stage.state}</Badge>
            <span className="stage-time">{stageTime(stage, now)}</span>
            <span className="stage-detail">{stage.detail ?? ''}</span>
            {stage.failure && stage.name !== 'parity' && <ErrorNotice error={stage.failure} />}
          </li>
        ))}
      </ol>
      {model.outputs.parity.map((result) => (
        <ParityResultView key={result.platform} result={result} />
      ))}
      {model.outputs.digest && (
        <p className="push-digest">
          Digest <code>{model.outputs.digest}</code>
        </p>
      )}
      {failed && model.endedAt !== null && onResume && (
        <div className="toolbar">
          <Button variant="primary" onClick={() => onResume(false)}>
            Resume from {STAGE_LABEL[failed.name].toLowerCase()}
          </Button>
          {parityFailedForDeploy && (
            <Button onClick={() => onResume(true)} title="Recorded in the run's history">
              Deploy anyway (override the parity check)
            </Button>
          )}
        </div>
      )}
      {model.recordError && <ErrorNotice title="Not kept in the history" error={model.recordError} />}
    </section>
  );
}
