import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
import {
  type BuildModel,
  buildTimeline,
  type BuildTimeline as Timeline,
  type TimelineBar,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { downloadText } from '../logs/log-export';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { formatDuration } from '../ui/format';
import { isFinished } from './build-stats';

const stageTitle = (stage: string | null): string => (stage === null ? 'Before the first FROM' : `Stage ${stage}`);
const stageRegion = (stage: string | null): string => `Timeline of ${stageTitle(stage).replace(/^S/, 's')}`;

const STATE_WORD: Record<TimelineBar['state'], string> = {
  queued: 'queued',
  running: 'running',
  cached: 'cached',
  done: 'ran',
  error: 'failed',
  metadata: 'configuration only, no layer',
  'not-run': 'not run',
};

/** Tick spacing for the axis: 1, 2 or 5 times a power of ten milliseconds, about five ticks in all. */
export function tickStep(totalMs: number): number {
  const rough = Math.max(totalMs, 1) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? 10 * power) || 1;
}

function barLabel(bar: TimelineBar): string {
  const what = `${bar.instruction}: ${STATE_WORD[bar.state]}`;
  if (bar.start === null || bar.end === null || bar.durationMs === null) return `${what}, no time of its own`;
  const timing = `${formatDuration(bar.durationMs)}${bar.running ? ' so far' : ''}, from ${formatDuration(bar.start)} to ${formatDuration(bar.end)}`;
  return `${what}, ${timing}${bar.critical ? ', on the critical path' : ''}`;
}

function WhatIf({ timeline, finished }: { timeline: Timeline; finished: boolean }) {
  const { whatIf } = timeline;
  if (!whatIf) {
    return finished ? (
      <p data-testid="timeline-what-if">No step ran outside the cache: caching cannot make this build faster.</p>
    ) : null;
  }
  return (
    <p data-testid="timeline-what-if">
      If the slowest step, <code>{whatIf.instruction}</code> ({formatDuration(whatIf.durationMs)}), were cached, the
      build would take{' '}
      {whatIf.savedMs > 0 ? (
        <>
          about <strong>{formatDuration(whatIf.savedMs)} less</strong> ({formatDuration(whatIf.wallMs)} instead of{' '}
          {formatDuration(timeline.totalMs)})
        </>
      ) : (
        <strong>no less time</strong>
      )}
      {whatIf.savedMs < whatIf.durationMs && whatIf.savedMs > 0 && ': another chain of steps then sets the time'}
      {whatIf.savedMs === 0 && ': it is not on the critical path'}. This assumes every other step takes as long, and
      starts as long after its inputs, as in this build.
    </p>
  );
}

/**
 * Where the build's time went: one bar per step on one time axis, grouped by stage, the critical path
 * marked (outline and ◆), live while the build runs. Arrow keys move between bars; Enter opens the step.
 */
export function BuildTimeline({
  model,
  now,
  onOpenStep,
}: {
  model: BuildModel;
  now: number;
  onOpenStep?: (stepId: string) => void;
}) {
  const api = useApi();
  const timeline = useMemo(() => buildTimeline(model, now), [model, now]);
  const bars = timeline.stages.flatMap((s) => s.bars);
  const [focused, setFocused] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<ReturnType<typeof toErrorShape> | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const finished = isFinished(model);
  const current = bars.some((b) => b.stepId === focused) ? focused : (bars[0]?.stepId ?? null);
  const total = Math.max(timeline.totalMs, 1);
  const percent = (ms: number) => `${((ms / total) * 100).toFixed(3)}%`;
  const step = tickStep(total);
  const ticks = Array.from({ length: Math.floor(total / step) + 1 }, (_, i) => i * step);

  const move = (event: KeyboardEvent<HTMLLIElement>, bar: TimelineBar) => {
    const at = bars.findIndex((b) => b.stepId === bar.stepId);
    const to =
      event.key === 'ArrowDown'
        ? at + 1
        : event.key === 'ArrowUp'
          ? at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? bars.length - 1
              : null;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpenStep?.(bar.stepId);
      return;
    }
    if (to === null) return;
    event.preventDefault();
    const next = bars[Math.max(0, Math.min(bars.length - 1, to))];
    if (!next) return;
    setFocused(next.stepId);
    list.current?.querySelector<HTMLElement>(`[data-step-id="${CSS.escape(next.stepId)}"]`)?.focus();
  };

  const exportTrace = () => {
    setExporting(true);
    setExportError(null);
    api.call('build.trace', { buildId: model.buildId }).then(
      (trace) => {
        setExporting(false);
        downloadText(
          JSON.stringify(trace, null, 2),
          `berth-build-${model.buildId}.otlp.json`,
          'application/json;charset=utf-8',
        );
      },
      (e: unknown) => {
        setExporting(false);
        setExportError(toErrorShape(e));
      },
    );
  };

  if (bars.length === 0) return null;
  return (
    <section className="panel build-timeline" aria-label="Where the time went">
      <div className="toolbar">
        <h3>Where the time went</h3>
        <span className="spacer" />
        {finished && (
          <Button size="small" onClick={exportTrace} disabled={exporting}>
            {exporting ? 'Exporting…' : 'Export trace (OTLP JSON)'}
          </Button>
        )}
      </div>
      {exportError && <ErrorNotice title="Could not export the trace" error={exportError} />}
      <p data-testid="timeline-critical">
        {timeline.criticalPath.length === 0 ? (
          'No step has started yet.'
        ) : (
          <>
            <span aria-hidden="true">◆ </span>Critical path: {timeline.criticalPath.length}{' '}
            {timeline.criticalPath.length === 1 ? 'step' : 'steps'}, ending at {formatDuration(timeline.criticalMs)} of{' '}
            {formatDuration(timeline.totalMs)}
            {finished ? '' : ' so far'}
            {model.builder === 'legacy' ? ' (the legacy builder runs every step in order)' : ''}.
          </>
        )}
      </p>
      <WhatIf timeline={timeline} finished={finished} />
      <div className="timeline-axis" aria-hidden="true">
        {ticks.map((t) => (
          <span key={t} className="timeline-tick" style={{ left: percent(t) }}>
            {formatDuration(t)}
          </span>
        ))}
      </div>
      <div ref={list}>
        {timeline.stages.map((stage) => (
          <section key={stage.bars[0]?.stepId} className="timeline-stage" aria-label={stageRegion(stage.stage)}>
            <h4 className="stage-name">{stageTitle(stage.stage)}</h4>
            <ol className="timeline-rows">
              {stage.bars.map((bar) => (
                <li
                  key={bar.stepId}
                  data-step-id={bar.stepId}
                  className={`timeline-row timeline-${bar.state}${bar.critical ? ' timeline-critical' : ''}`}
                  tabIndex={bar.stepId === current ? 0 : -1}
                  aria-label={barLabel(bar)}
                  onFocus={() => setFocused(bar.stepId)}
                  onKeyDown={(e) => move(e, bar)}
                  onDoubleClick={() => onOpenStep?.(bar.stepId)}
                >
                  <span className="timeline-label" title={bar.instruction}>
                    {bar.critical && <span aria-hidden="true">◆ </span>}
                    {bar.instruction}
                  </span>
                  <span className="timeline-track">
                    {bar.start !== null && bar.durationMs !== null && (
                      <span
                        className="timeline-bar"
                        data-testid={`timeline-bar-${bar.stepId}`}
                        style={{ left: percent(bar.start), width: percent(bar.durationMs) }}
                      />
                    )}
                  </span>
                  <span className="timeline-duration">
                    {bar.durationMs === null ? '—' : formatDuration(bar.durationMs)}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </section>
  );
}
