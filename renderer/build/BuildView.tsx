import { useEffect, useState } from 'react';
import type { BuildModel, BuildRequestInput, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useProcedure } from '../app/use-procedure';
import { useSessionState } from '../app/use-session-state';
import { TerminalPanel } from '../terminal/TerminalPanel';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Spinner } from '../ui/Spinner';
import { useNow } from '../ui/use-now';
import { AdvicePanel } from './AdvicePanel';
import { BuildCompare } from './BuildCompare';
import { BuildForm } from './BuildForm';
import { BuildHistory } from './BuildHistory';
import { BuildSummary } from './BuildSummary';
import { BuildTimeline } from './BuildTimeline';
import { isFinished } from './build-stats';
import { DockerfileSteps } from './DockerfileSteps';
import { DockerfileText } from './DockerfileText';
import { useBuildStream } from './use-build-stream';
import { useDockerfile } from './use-dockerfile';
import './build.css';

/** Build an image and watch every Dockerfile step: cached, rebuilt, running or failed. */
export function BuildView() {
  const api = useApi();
  const defaults = useProcedure('project.default', {});
  const records = useProcedure('build.records', {});
  const [buildId, setBuildId] = useSessionState('berth.buildId');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ErrorShape | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<ErrorShape | null>(null);
  const { model: live, error: streamError } = useBuildStream(buildId);
  // A past build opened from the history (build.get), shown in place of the live one until the next start.
  const [opened, setOpened] = useState<BuildModel | null>(null);
  const [openError, setOpenError] = useState<ErrorShape | null>(null);
  const model = opened ?? live;
  const running = model !== null && !isFinished(model);
  const now = useNow(running);
  // Keyed by build as well as state: two builds in a row that both succeed must each reload the history.
  const finished = model && isFinished(model) ? `${model.buildId}:${model.state}` : null;
  const reloadRecords = records.reload;
  const dockerfile = useDockerfile(model?.request.contextDir ?? null, model?.request.dockerfile ?? 'Dockerfile');
  const [openStep, setOpenStep] = useState<{ stepId: string; seq: number } | null>(null);
  // The advice follows the project of the build shown, else the default project.
  const adviceProject = model?.request ?? defaults.data;

  // The failed step a debug shell is open for; it closes when another build is shown.
  const [debugging, setDebugging] = useState<{ buildId: string; stepId: string } | null>(null);
  const debugStep = debugging && debugging.buildId === model?.buildId ? debugging : null;

  useEffect(() => {
    if (finished) {
      setCancelling(false);
      reloadRecords();
    }
  }, [finished, reloadRecords]);

  const open = (id: string) => {
    setOpenError(null);
    api.call('build.get', { buildId: id }).then(setOpened, (e: unknown) => setOpenError(toErrorShape(e)));
  };

  const start = (request: BuildRequestInput) => {
    setOpened(null);
    setStarting(true);
    setStartError(null);
    setCancelError(null);
    api.call('build.start', request).then(
      ({ buildId: id }) => {
        setStarting(false);
        setBuildId(id);
      },
      (e: unknown) => {
        setStarting(false);
        setStartError(toErrorShape(e));
      },
    );
  };

  const cancel = () => {
    if (!buildId) return;
    setCancelling(true);
    api.call('build.cancel', { buildId }).catch((e: unknown) => {
      setCancelling(false);
      setCancelError(toErrorShape(e));
    });
  };

  return (
    <div className="build-view">
      <h2>Build</h2>
      {defaults.status === 'loading' && !defaults.data && <Spinner label="Loading project defaults" />}
      {defaults.status === 'error' && <ErrorNotice title="Could not read the default project" error={defaults.error} />}
      {defaults.data && (
        <BuildForm defaults={defaults.data} busy={starting || running} error={startError} onStart={start} />
      )}
      {startError && <ErrorNotice title="The build did not start" error={startError} />}
      {streamError && <ErrorNotice title="Lost the build's progress" error={streamError} />}
      {cancelError && <ErrorNotice title="Could not cancel" error={cancelError} />}
      {openError && <ErrorNotice title="Could not open that build" error={openError} />}
      {buildId && !model && !streamError && <Spinner label="Waiting for the build" />}
      {model && (
        <>
          <BuildSummary model={model} now={now} onCancel={cancel} cancelling={cancelling} />
          {debugStep && (
            <TerminalPanel
              key={`${debugStep.buildId}:${debugStep.stepId}`}
              target={{ kind: 'debug', buildId: debugStep.buildId, stepId: debugStep.stepId }}
              title="Debug shell"
              onClose={() => setDebugging(null)}
            />
          )}
          <div className="build-panes">
            {dockerfile.status === 'data' && (
              <DockerfileText
                file={dockerfile.file}
                steps={model.steps}
                now={now}
                onOpenStep={(stepId) => setOpenStep((o) => ({ stepId, seq: (o?.seq ?? 0) + 1 }))}
              />
            )}
            {dockerfile.status === 'error' && (
              <ErrorNotice title="Cannot show the Dockerfile's text" error={dockerfile.error} />
            )}
            <DockerfileSteps
              key={model.buildId}
              model={model}
              now={now}
              open={openStep}
              onDebug={(stepId) => setDebugging({ buildId: model.buildId, stepId })}
            />
          </div>
          <BuildTimeline
            model={model}
            now={now}
            onOpenStep={(stepId) => setOpenStep((o) => ({ stepId, seq: (o?.seq ?? 0) + 1 }))}
          />
        </>
      )}
      {adviceProject && <AdvicePanel project={adviceProject} />}
      <h3>History</h3>
      {records.status === 'error' && <ErrorNotice title="Could not read the build history" error={records.error} />}
      {records.status === 'loading' && !records.data && <Spinner label="Loading build history" />}
      {records.data && <BuildHistory records={records.data} onOpen={open} />}
      {records.data && records.data.length > 1 && (
        <>
          <h3>Compare builds</h3>
          <BuildCompare records={records.data} />
        </>
      )}
    </div>
  );
}
