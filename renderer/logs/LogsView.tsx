import { useMemo, useRef, useState } from 'react';
import { useNavigation } from '../app/navigation';
import { useProcedure } from '../app/use-procedure';
import { useEngineEvents } from '../engine/engine-context';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Field } from '../ui/Field';
import { Spinner } from '../ui/Spinner';
import { LogSearchBar } from './LogSearchBar';
import { LogViewport, type LogViewportHandle } from './LogViewport';
import { downloadText, ringText } from './log-export';
import { makeMatcher, type SearchMode } from './log-search';
import { MatchIndex } from './match-index';
import { useLogStream } from './use-log-stream';
import './logs.css';

const TAILS = [100, 1000, 10_000, 100_000];

/** A container's logs: follow or pause, search, timestamps, stderr marked, ANSI colours, copy and save. */
export function LogsView() {
  const containers = useProcedure('containers.list', {});
  useEngineEvents('container', containers.reload);
  const { route } = useNavigation();
  const [picked, setPicked] = useState<string | null>(route.params.container ?? null);
  const [tail, setTail] = useState(1000);
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('text');
  const [showTimestamps, setShowTimestamps] = useState(false);
  const [follow, setFollow] = useState(true);
  const [currentMatch, setCurrentMatch] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const viewport = useRef<LogViewportHandle>(null);

  const list = containers.data ?? [];
  const containerId = picked ?? list.find((c) => c.state === 'running')?.id ?? list[0]?.id ?? null;
  const current = list.find((c) => c.id === containerId);
  const logs = useLogStream(containerId, tail);
  const matcher = useMemo(() => makeMatcher(query, mode), [query, mode]);

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
        <Field label="Container">
          <select value={containerId ?? ''} onChange={(e) => setPicked(e.target.value)}>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.state})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tail">
          <select value={tail} onChange={(e) => setTail(Number(e.target.value))}>
            {TAILS.map((t) => (
              <option key={t} value={t}>
                last {t.toLocaleString('en')} lines
              </option>
            ))}
          </select>
        </Field>
        <LogSearchBar
          query={query}
          mode={mode}
          error={matcher && !matcher.ok ? matcher.error : null}
          matchCount={matches.count}
          currentMatch={currentMatch === null ? null : matches.positionOf(currentMatch)}
          onQuery={(q) => {
            setQuery(q);
            setCurrentMatch(null);
          }}
          onMode={(m) => {
            setMode(m);
            setCurrentMatch(null);
          }}
          onStep={step}
        />
      </div>
      <div className="toolbar">
        {logs.paused ? (
          <Button variant="primary" onClick={logs.resume}>
            Resume ({logs.waitingCount.toLocaleString('en')} new)
          </Button>
        ) : (
          <Button onClick={logs.pause}>Pause</Button>
        )}
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label>
          <input type="checkbox" checked={showTimestamps} onChange={(e) => setShowTimestamps(e.target.checked)} />{' '}
          Timestamps
        </label>
        <span className="spacer" />
        <Button size="small" onClick={copySelection}>
          Copy selection
        </Button>
        <Button
          size="small"
          onClick={() => downloadText(ringText(logs.ring, showTimestamps), `${current?.name ?? 'container'}.log`)}
        >
          Download
        </Button>
        <Button size="small" onClick={logs.clear}>
          Clear
        </Button>
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
      />
      <p className="muted log-status" aria-live="polite">
        {logs.ring.size.toLocaleString('en')} lines
        {logs.ended && ` — stream ended (${logs.ended.replace('-', ' ')})`}
      </p>
    </div>
  );
}
