import { useEffect, useRef } from 'react';
import type { DeployModel, DeployStep } from '../../electron/contract';
import { Badge, type BadgeTone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Spinner } from '../ui/Spinner';

const STEP_TONE: Record<DeployStep['state'], BadgeTone> = {
  waiting: 'muted',
  running: 'info',
  done: 'good',
  skipped: 'muted',
  failed: 'bad',
};

/** A deploy as it happens: its steps, the platform's own output, then the app's URL or the platform's error. */
export function DeployProgress({ model, onCancel }: { model: DeployModel; onCancel?: () => void }) {
  const output = useRef<HTMLPreElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever new output arrives
  useEffect(() => {
    output.current?.scrollTo?.({ top: output.current.scrollHeight });
  }, [model.output.length]);
  const platform = model.platform === 'heroku' ? 'Heroku' : 'Azure App Service';
  return (
    <section className="panel deploy-progress" aria-label={`${platform} deploy`}>
      <div className="toolbar">
        <h4>
          {platform}: <code>{model.target}</code>
        </h4>
        <span className="spacer" />
        <Badge tone={model.state === 'succeeded' ? 'good' : model.state === 'failed' ? 'bad' : 'info'}>
          {model.state}
        </Badge>
        {(model.state === 'running' || model.tailing) && onCancel && (
          <Button size="small" onClick={onCancel}>
            {model.state === 'running' ? 'Cancel' : 'Stop following the log'}
          </Button>
        )}
      </div>
      <ol className="deploy-steps" aria-label="Deploy steps">
        {model.steps.map((step) => (
          <li key={step.name} className={`deploy-step deploy-${step.state}`}>
            <span className="deploy-step-name">{step.name}</span>
            <Badge tone={STEP_TONE[step.state]}>
              {step.state === 'running' && <Spinner />} {step.state}
            </Badge>
            {step.detail && <code className="deploy-step-detail">{step.detail}</code>}
          </li>
        ))}
      </ol>
      {model.output.length > 0 && (
        <div role="log" aria-label={model.platform === 'heroku' ? 'Release output' : 'Container log'}>
          <pre className="deploy-output" ref={output}>
            {model.output.join('\n')}
          </pre>
        </div>
      )}
      {model.tailing && <p className="muted">Following the container log…</p>}
      {model.state === 'succeeded' && model.url && (
        <p className="deploy-url">
          Live at{' '}
          <a href={model.url} target="_blank" rel="noreferrer noopener">
            {model.url}
          </a>
        </p>
      )}
      {model.failure && <ErrorNotice title="The deploy failed" error={model.failure} />}
    </section>
  );
}
