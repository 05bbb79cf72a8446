import { useEffect, useMemo, useState } from 'react';
import {
  type BuildModel,
  type BuildRecordSummary,
  type BuildStep,
  type ErrorShape,
  projectKey,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Badge } from '../ui/Badge';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatDuration, relativeTime } from '../ui/format';
import { Spinner } from '../ui/Spinner';
import { projectLabel } from './BuildHistory';
import { STATE_LABEL, STATE_TONE } from './BuildStepRow';
import { buildDuration, cacheHits, formatHits, stepDuration } from './build-stats';
import { causeTexts } from './cache-cause';
import { compareSteps } from './compare-steps';

const optionLabel = (r: BuildRecordSummary): string =>
  `${new Date(r.at).toLocaleString()} · ${projectLabel(r)} · ${r.state} · ${r.builder === 'buildkit' ? 'BuildKit' : 'legacy'}`;

const summaryKey = (r: BuildRecordSummary) => projectKey(r);

function StepCell({ step, model }: { step: BuildStep | null; model: BuildModel }) {
  if (!step) return <td className="muted">not in this build</td>;
  const duration = stepDuration(step, model.endedAt ?? step.endedAt ?? 0);
  const cause = causeTexts(model).get(step.id);
  return (
    <td>
      <Badge tone={STATE_TONE[step.state]}>{STATE_LABEL[step.state]}</Badge>{' '}
      {duration !== null && step.state !== 'cached' && step.state !== 'metadata' && (
        <span className="compare-time">{formatDuration(duration)}</span>
      )}
      {cause && (
        <div className={`compare-cause step-cause-${cause.role}`} data-testid="compare-cause">
          {cause.role === 'cause' ? 'Why it ran: ' : 'Consequence: '}
          {cause.text}
        </div>
      )}
    </td>
  );
}

/** The builds that can be compared with `record`: the same project (context folder, Dockerfile and target). */
export function sameProject(records: BuildRecordSummary[], record: BuildRecordSummary | undefined) {
  return record ? records.filter((r) => summaryKey(r) === summaryKey(record)) : [];
}

/**
 * Two builds of one project side by side: each step's cache verdict, time and cause of a miss, paired by
 * instruction so edited lines line up. Starts with the newest build and the one before it.
 */
export function BuildCompare({ records }: { records: BuildRecordSummary[] }) {
  const api = useApi();
  const sorted = useMemo(() => [...records].sort((a, b) => b.at - a.at), [records]);
  const [rightId, setRightId] = useState<string | null>(null);
  const [leftId, setLeftId] = useState<string | null>(null);
  const right = sorted.find((r) => r.buildId === rightId) ?? sorted[0];
  const candidates = sameProject(sorted, right).filter((r) => r.buildId !== right?.buildId);
  const left = candidates.find((r) => r.buildId === leftId) ?? candidates[0];
  const [models, setModels] = useState<{ left: BuildModel; right: BuildModel } | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  const leftBuild = left?.buildId;
  const rightBuild = right?.buildId;

  useEffect(() => {
    if (!leftBuild || !rightBuild) return;
    let current = true;
    setModels(null);
    setError(null);
    Promise.all([api.call('build.get', { buildId: leftBuild }), api.call('build.get', { buildId: rightBuild })]).then(
      ([l, r]) => current && setModels({ left: l, right: r }),
      (e: unknown) => current && setError(toErrorShape(e)),
    );
    return () => {
      current = false;
    };
  }, [api, leftBuild, rightBuild]);

  if (!right) return <EmptyState title="Nothing to compare">Build a project twice to compare the builds.</EmptyState>;
  return (
    <section className="build-compare" aria-label="Compare builds">
      <div className="compare-pickers">
        <label>
          Build{' '}
          <select
            aria-label="Build to compare"
            value={right.buildId}
            onChange={(e) => {
              setRightId(e.target.value);
              setLeftId(null);
            }}
          >
            {sorted.map((r) => (
              <option key={r.buildId} value={r.buildId}>
                {optionLabel(r)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          with{' '}
          <select
            aria-label="Earlier build"
            value={left?.buildId ?? ''}
            disabled={candidates.length === 0}
            onChange={(e) => setLeftId(e.target.value)}
          >
            {candidates.length === 0 && <option value="">no other build of this project</option>}
            {candidates.map((r) => (
              <option key={r.buildId} value={r.buildId}>
                {optionLabel(r)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorNotice title="Could not open a build to compare" error={error} />}
      {left && !models && !error && <Spinner label="Loading both builds" />}
      {models && <CompareTable left={models.left} right={models.right} />}
    </section>
  );
}

export function CompareTable({ left, right }: { left: BuildModel; right: BuildModel }) {
  const rows = compareSteps(left, right);
  const heading = (model: BuildModel) => (
    <>
      {relativeTime(model.startedAt)} · {model.builder === 'buildkit' ? 'BuildKit' : 'legacy'} ·{' '}
      {formatDuration(buildDuration(model, model.endedAt ?? model.startedAt))} · {formatHits(cacheHits(model.steps))}
    </>
  );
  return (
    <table className="table compare-table" aria-label="Steps of both builds">
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col">Instruction</th>
          <th scope="col" data-testid="compare-left">
            {heading(left)}
          </th>
          <th scope="col" data-testid="compare-right">
            {heading(right)}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed whole for each pair of builds
          <tr key={i} className={row.left?.state !== row.right?.state ? 'compare-differs' : undefined}>
            <td className="muted">{row.stage ?? ''}</td>
            <td className="mono">{(row.right ?? row.left)?.instruction}</td>
            <StepCell step={row.left} model={left} />
            <StepCell step={row.right} model={right} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
