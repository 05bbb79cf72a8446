import { type FormEvent, useEffect, useState } from 'react';
import type { ErrorShape, PipelineModel, PipelineRequestInput, Platform } from '../../electron/contract';
import { normalizeRegistry, registryHost } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { useSessionState } from '../app/use-session-state';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { fieldErrorUnder, toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { relativeTime } from '../ui/format';
import { DeployProgress } from './DeployProgress';
import type { Credentials } from './LoginForm';
import { type DeployChoice, deployTarget, NO_DEPLOY, PipelineDeployFields } from './PipelineDeployFields';
import { PipelineStages } from './PipelineStages';
import { useDeploy } from './use-deploy';
import { useProjectBuild } from './use-project-build';

/** Build → parity run → tag → push → deploy as one pipeline, its live stages, and the history of runs. */
export function PipelinePanel({ credentials, target: proposedTarget }: { credentials: Credentials; target: string }) {
  const api = useApi();
  const { contextDir, setContextDir, tag, setTag, build } = useProjectBuild();
  const history = useProcedure('pipeline.history', {});
  const [parity, setParity] = useState<Platform[]>(['heroku', 'azure']);
  const [target, setTarget] = useState('');
  const [deploy, setDeploy] = useState<DeployChoice>(NO_DEPLOY);
  const [pipelineId, setPipelineId] = useSessionState('berth.pipelineId');
  const [model, setModel] = useState<PipelineModel | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const deployRun = useDeploy(model?.outputs.deployId ?? null);

  useEffect(() => {
    if (!target && proposedTarget) setTarget(proposedTarget);
  }, [target, proposedTarget]);

  const reloadHistory = history.reload;
  useEffect(() => {
    setModel(null);
    if (!pipelineId) return;
    return api.subscribe(
      'pipeline',
      { pipelineId },
      (m) => {
        setModel(m);
        if (m.endedAt !== null) reloadHistory();
      },
      (e) => setError(toErrorShape(e)),
    );
  }, [api, pipelineId, reloadHistory]);

  const loginFor = (ref: string) => {
    const { registry, username, password } = credentials;
    return username && password && ref && normalizeRegistry(registry) === registryHost(ref)
      ? { credentials: { registry, username, password } }
      : {};
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const deployTo = deployTarget(deploy);
    const request: PipelineRequestInput = {
      build: build(),
      parity,
      ...(target.trim() && { target: target.trim(), ...loginFor(target.trim()) }),
      ...(deployTo && { deploy: deployTo }),
    };
    try {
      setPipelineId((await api.call('pipeline.start', request)).pipelineId);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const resume = async (overrideParity: boolean) => {
    if (!model) return;
    setError(null);
    try {
      const input = {
        pipelineId: model.pipelineId,
        ...loginFor(model.request.target ?? ''),
        ...(overrideParity && { overrideParity: true }),
      };
      setPipelineId((await api.call('pipeline.resume', input)).pipelineId);
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const open = async (id: string) => {
    setError(null);
    try {
      setPipelineId(null);
      setModel(await api.call('pipeline.get', { pipelineId: id }));
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  const toggle = (platform: Platform) =>
    setParity((p) => (p.includes(platform) ? p.filter((x) => x !== platform) : [...p, platform]));
  const running = model !== null && model.endedAt === null;

  return (
    <>
      <form className="panel" aria-label="Ship pipeline" onSubmit={start}>
        <h3>Ship pipeline</h3>
        <div className="split">
          <Field label="Context folder" error={fieldErrorUnder(error, 'build.contextDir')}>
            <input value={contextDir} onChange={(e) => setContextDir(e.target.value)} spellCheck={false} />
          </Field>
          <Field label="Image tag" error={fieldErrorUnder(error, 'build.tags')}>
            <input value={tag} onChange={(e) => setTag(e.target.value)} spellCheck={false} />
          </Field>
          <Field label="Push to (optional)" error={fieldErrorUnder(error, 'target')}>
            <input value={target} onChange={(e) => setTarget(e.target.value)} spellCheck={false} />
          </Field>
        </div>
        <fieldset className="toolbar">
          <legend>Parity runs</legend>
          {(['heroku', 'azure'] as const).map((p) => (
            <label key={p}>
              <input type="checkbox" checked={parity.includes(p)} onChange={() => toggle(p)} /> Run as{' '}
              {p === 'heroku' ? 'Heroku' : 'Azure'}
            </label>
          ))}
        </fieldset>
        <PipelineDeployFields choice={deploy} onChange={setDeploy} error={error} />
        <div className="toolbar">
          <span className="spacer" />
          <Button type="submit" variant="primary" disabled={running || !contextDir}>
            Run pipeline
          </Button>
        </div>
        {error && <ErrorNotice title="The pipeline did not start" error={error} />}
      </form>
      {model && <PipelineStages model={model} onResume={resume} />}
      {model && deployRun.model && <DeployProgress model={deployRun.model} />}
      <section className="panel" aria-label="Pipeline history">
        <h3>Pipeline history</h3>
        {(history.data ?? []).length === 0 ? (
          <p className="muted">No runs yet.</p>
        ) : (
          <ul className="pipeline-history">
            {(history.data ?? []).map((run) => (
              <li key={run.pipelineId}>
                <Button variant="ghost" size="small" onClick={() => open(run.pipelineId)}>
                  {relativeTime(run.startedAt)}
                </Button>{' '}
                <Badge tone={run.state === 'succeeded' ? 'good' : 'bad'}>{run.state}</Badge>{' '}
                {run.failedStage && <span className="muted">at {run.failedStage} </span>}
                {run.resumedFrom && <span className="muted">(resumed) </span>}
                <span>{run.tags.join(', ')}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
