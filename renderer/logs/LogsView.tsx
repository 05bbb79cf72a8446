import { useMemo, useRef, useState } from 'react';
import type { ContainerSummary } from '../../electron/contract';
import { useNavigation } from '../app/navigation';
import { useProcedure } from '../app/use-procedure';
import { useEngineEvents } from '../engine/engine-context';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Field } from '../ui/Field';
import { Spinner } from '../ui/Spinner';
import { LogExport } from './LogExport';
import { LogFollowControls, useLogDisplay } from './LogFollowControls';
import { LogSearchBar } from './LogSearchBar';
import { LogStatus } from './LogStatus';
import { LogViewport, type LogViewportHandle } from './LogViewport';
import { makeMatcher, type SearchMode } from './log-search';
import { MatchIndex } from './match-index';
import { type LogRange, type LogTarget, useLogStream } from './use-log-stream';
import './logs.css';

const TAILS = [100, 1000, 10_000, 100_000];
/** The whole history, for one container only (the merged stream takes at most the largest tail per container). */
type Tail = number | 'all';

type Mode = 'one' | 'containers' | 'image' | 'project';
const RANGES = { all: 'whole log', '15m': 'last 15 min', '1h': 'last hour', custom: 'from … to …' } as const;
type RangeChoice = keyof typeof RANGES;
const RANGE_MS: Record<'15m' | '1h', number> = { '15m': 15 * 60_000, '1h': 60 * 60_000 };
/** A datetime-local value as ms since the epoch (local time), or undefined when empty or invalid. */
const localMillis = (value: string) => {
  const ms = value ? new Date(value).getTime() : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
};
const COMPOSE_PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

function ContainerOptions({ list }: { list: readonly ContainerSummary[] }) {
  return list.map((c) => (
    <option key={c.id} value={c.id}>
      {c.name} ({c.state})
    </option>
  ));
}

/** A container's logs: follow or pause, search, timestamps, stderr marked, ANSI colours, copy and save. */
export function LogsView() {
  const containers = useProcedure('containers.list', {});
  useEngineEvents('container', containers.reload);
  const { route } = useNavigation();
  const [picked, setPicked] = useState<string | null>(route.params.container ?? null);
  const [mode, setMergeMode] = useState<Mode>('one');
  const [several, setSeveral] = useState<string[]>([]);
  const [image, setImage] = useState('');
  const [project, setProject] = useState('');
  const [rangeChoice, setRangeChoice] = useState<RangeChoice>('all');
  const [relativeSince, setRelativeSince] = useState<number | undefined>(undefined);
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  const [tail, setTail] = useState<Tail>(1000);
  const [query, setQuery] = useState('');
  const [searchMode, setSearchMode] = useState<SearchMode>('text');
  const display = useLogDisplay();
  const { follow, setFollow, showTimestamps } = display;
  const [currentMatch, setCurrentMatch] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const viewport = useRef<LogViewportHandle>(null);

  const list = containers.data ?? [];
  // Only a container this engine lists: after a switch of engine, the one picked before is not here.
  const known = picked !== null && list.some((c) => c.id === picked) ? picked : null;
  const containerId = known ?? list.find((c) => c.state === 'running')?.id ?? list[0]?.id ?? null;
  const current = list.find((c) => c.id === containerId);
  const images = [...new Set(list.map((c) => c.image))].sort();
  const target: LogTarget | null =
    mode === 'one'
      ? containerId
      : mode === 'containers'
        ? several.length
          ? { merged: { by: 'containers', ids: several } }
          : null
        : mode === 'image'
          ? image || images[0]
            ? { merged: { by: 'image', image: image || images[0]! } }
            : null
          : COMPOSE_PROJECT.test(project)
            ? { merged: { by: 'project', project } }
            : null;
  const range: LogRange = useMemo(() => {
    if (rangeChoice === 'all') return {};
    if (rangeChoice !== 'custom') return relativeSince === undefined ? {} : { since: relativeSince };
    const since = localMillis(customFrom);
    const until = localMillis(customTo);
    if (since !== undefined && until !== undefined && since >= until) return { since };
    return { ...(since !== undefined && { since }), ...(until !== undefined && { until }) };
  }, [rangeChoice, relativeSince, customFrom, customTo]);
  // The merged stream has no whole-history read: the select shows the largest tail it takes instead.
  const shownTail: Tail = mode !== 'one' && tail === 'all' ? TAILS[TAILS.length - 1]! : tail;
  const logs = useLogStream(target, shownTail, undefined, range);
  const matcher = useMemo(() => makeMatcher(query, searchMode), [query, searchMode]);

  const matches = useRef(new MatchIndex()).current;
  matches.update(logs.ring, matcher);
  const currentLine = currentMatch === null ? null : currentMatch - logs.ring.dropped;

  const step = (direction: 1 | -1) => {
    const next = matches.step(currentMatch, direction);
    if (next === null) return;
    setFollow(false);
    setCurrentMatch(next);
    viewport.current?.scrollToLine(next - logs.ring.dropped);
  };

  const copySelection = async () => {
    const text = window.getSelection()?.toString() ?? '';
    if (!text) return setNote('Select some lines first, then copy.');
    try {
      await navigator.clipboard.writeText(text);
      setNote(`Copied ${text.split('\n').length} line(s).`);
    } catch {
      setNote('The clipboard is not available here; use Ctrl+C.');
    }
  };

  if (containers.status === 'loading' && !containers.data) return <Spinner label="Loading containers" />;
  if (containers.status === 'error') return <ErrorNotice title="Could not list containers" error={containers.error} />;
  if (list.length === 0) {
    return (
      <div className="logs-view">
        <h2>Logs</h2>
        <EmptyState title="No containers to read logs from">
          Run an image in Containers (g c); its output shows here.
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="logs-view">
      <h2>Logs</h2>
      <div className="toolbar">
        <Field label="Show">
          <select value={mode} onChange={(e) => setMergeMode(e.target.value as Mode)}>
            <option value="one">one container</option>
            <option value="containers">several containers, merged</option>
            <option value="image">every container of an image</option>
            <option value="project">a compose project</option>
          </select>
        </Field>
        {mode === 'one' && (
          <Field label="Container">
            <select value={containerId ?? ''} onChange={(e) => setPicked(e.target.value)}>
              <ContainerOptions list={list} />
            </select>
          </Field>
        )}
        {mode === 'containers' && (
          <Field label="Containers">
            <select
              multiple
              value={several}
              onChange={(e) => setSeveral([...e.target.selectedOptions].map((o) => o.value))}
            >
              <ContainerOptions list={list} />
            </select>
          </Field>
        )}
        {mode === 'image' && (
          <Field label="Image">
            <select value={image || images[0] || ''} onChange={(e) => setImage(e.target.value)}>
              {images.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </Field>
        )}
        {mode === 'project' && (
          <Field label="Compose project">
            <input value={project} onChange={(e) => setProject(e.target.value.trim())} placeholder="myapp" />
          </Field>
        )}
        <Field label="Tail">
          <select
            value={shownTail}
            onChange={(e) => setTail(e.target.value === 'all' ? 'all' : Number(e.target.value))}
          >
            {TAILS.map((t) => (
              <option key={t} value={t}>
                last {t.toLocaleString('en')} lines
              </option>
            ))}
            {mode === 'one' && <option value="all">whole log</option>}
          </select>
        </Field>
        <Field label="Range">
          <select
            value={rangeChoice}
            onChange={(e) => {
              const choice = e.target.value as RangeChoice;
              setRangeChoice(choice);
              // "last 15 min" means from now, when chosen: the engine's since, not a filter in the view
              if (choice === '15m' || choice === '1h') setRelativeSince(Date.now() - RANGE_MS[choice]);
            }}
          >
            {Object.entries(RANGES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {rangeChoice === 'custom' && (
          <>
            <Field label="From">
              <input
                type="datetime-local"
                step="1"
                value={customFrom}
                onChange={(e) => setCustomFrom(e.target.value)}
              />
            </Field>
            <Field label="To">
              <input type="datetime-local" step="1" value={customTo} onChange={(e) => setCustomTo(e.target.value)} />
            </Field>
          </>
        )}
        <LogSearchBar
          query={query}
          mode={searchMode}
          error={matcher && !matcher.ok ? matcher.error : null}
          matchCount={matches.count}
          currentMatch={currentMatch === null ? null : matches.positionOf(currentMatch)}
          onQuery={(q) => {
            setQuery(q);
            setCurrentMatch(null);
          }}
          onMode={(m) => {
            setSearchMode(m);
            setCurrentMatch(null);
          }}
          onStep={step}
        />
      </div>
      <div className="toolbar">
        <LogFollowControls logs={logs} display={display} />
        <span className="spacer" />
        <Button size="small" onClick={copySelection}>
          Copy selection
        </Button>
        <Button size="small" onClick={logs.clear}>
          Clear
        </Button>
      </div>
      <div className="toolbar">
        <LogExport
          selection={
            target === null ? null : typeof target === 'string' ? { by: 'containers', ids: [target] } : target.merged
          }
          range={range}
          ring={logs.ring}
          sources={
            mode === 'one' ? [{ id: containerId ?? '', name: current?.name ?? 'container' }] : (logs.sources ?? [])
          }
          matcher={matcher}
          label={mode === 'one' ? (current?.name ?? 'container') : 'merged'}
        />
      </div>
      {note && <output className="notice">{note}</output>}
      {logs.error && <ErrorNotice title="The log stream stopped" error={logs.error} />}
      {logs.interruption && logs.interruption.resumedAt === null && (
        <ErrorNotice
          title="The engine stopped answering; the log resumes when it is back"
          error={logs.interruption.error}
        />
      )}
      {logs.interruption?.resumedAt != null && (
        <output className="notice log-gap">
          The engine was away from {new Date(logs.interruption.at).toLocaleTimeString()} to{' '}
          {new Date(logs.interruption.resumedAt).toLocaleTimeString()}. Lines it kept from{' '}
          {new Date(logs.interruption.gapFrom ?? logs.interruption.at).toLocaleTimeString()} on were read again; what
          the container printed while the engine was down is not in its log.
        </output>
      )}
      {logs.ring.dropped + logs.droppedWhilePaused > 0 && (
        <p className="muted log-dropped">
          {(logs.ring.dropped + logs.droppedWhilePaused).toLocaleString('en')} older lines were dropped to keep memory
          bounded (keeping the newest {logs.ring.capacity.toLocaleString('en')}).
        </p>
      )}
      <LogViewport
        ring={logs.ring}
        version={logs.version}
        matcher={matcher}
        showTimestamps={showTimestamps}
        follow={follow && !logs.paused}
        onUserScrollUp={() => setFollow(false)}
        currentMatch={currentLine}
        handle={viewport}
        sources={mode === 'one' ? undefined : (logs.sources ?? undefined)}
      />
      <LogStatus ring={logs.ring} ended={logs.ended} />
    </div>
  );
}
