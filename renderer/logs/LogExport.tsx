import { useEffect, useRef, useState } from 'react';
import {
  type ErrorShape,
  exportFileName,
  type LogExportFormat,
  type LogExportRequest,
  type LogSelection,
  type MergedLogSource,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { toErrorShape } from '../ui/errors';
import { Field } from '../ui/Field';
import { formatBytes } from '../ui/format';
import { downloadHref, downloadText, shownLines } from './log-export';
import type { LogRing } from './log-ring';
import type { Matcher } from './log-search';

type Scope = 'shown' | 'range';

/** Inside the desktop app (the preload's bridge is there), the backend can show a save dialog. */
const hasNativeDialogs = typeof window !== 'undefined' && window.berth !== undefined;

interface LogExportProps {
  /** What the view reads, as a selection (one container is a selection of one). */
  selection: LogSelection | null;
  range: { since?: number; until?: number };
  ring: LogRing;
  sources: readonly MergedLogSource[];
  /** The search, when one is active: "lines shown" can then keep only the matching lines. */
  matcher: Matcher | null;
  /** The file name's stem for "lines shown": the container's name, or "merged". */
  label: string;
  /** Desktop app: export through the save dialog; web mode: a browser download. */
  nativeDialogs?: boolean;
}

interface Running {
  lines: number;
  bytes: number;
  file: string | null;
  cancel: () => void;
}

/**
 * Export: the lines the view shows (from the lines held here), or the whole range through the engine
 * (streamed by the backend, never held here), as text or JSON lines.
 */
export function LogExport({
  selection,
  range,
  ring,
  sources,
  matcher,
  label,
  nativeDialogs = hasNativeDialogs,
}: LogExportProps) {
  const api = useApi();
  const [scope, setScope] = useState<Scope>('shown');
  const [format, setFormat] = useState<LogExportFormat>('text');
  const [onlyMatching, setOnlyMatching] = useState(true);
  const [running, setRunning] = useState<Running | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const stop = useRef<(() => void) | null>(null);
  // Leaving the view cancels a running export (and the backend removes its partial file).
  useEffect(() => () => stop.current?.(), []);

  const searching = matcher?.ok === true;
  const exportShown = () => {
    const { text, lines } = shownLines(ring, sources, format, searching && onlyMatching ? matcher : null);
    const type = format === 'jsonl' ? 'application/x-ndjson' : 'text/plain;charset=utf-8';
    downloadText(text, exportFileName(label, format, Date.now()), type);
    setNote(`Exported ${lines.toLocaleString('en')} line(s) shown.`);
  };

  const exportRange = async (request: LogExportRequest) => {
    if (!nativeDialogs) {
      // The link carries a ticket that works once; the session cookie and the Host/Origin checks still apply.
      const ticket = await api.call('logs.downloadLink', request);
      downloadHref(ticket.href, ticket.fileName);
      setNote(`Downloading ${ticket.fileName}; the browser shows its progress and can cancel it.`);
      return;
    }
    const end = () => {
      stop.current = null;
      setRunning(null);
    };
    const unsubscribe = api.subscribe(
      'logs.export',
      request,
      (event) => {
        if (event.kind === 'dismissed') end();
        else if (event.kind === 'started') setRunning((r) => r && { ...r, file: event.file });
        else if (event.kind === 'progress') setRunning((r) => r && { ...r, lines: event.lines, bytes: event.bytes });
        else {
          end();
          setNote(`Exported ${event.lines.toLocaleString('en')} lines (${formatBytes(event.bytes)}) to ${event.file}.`);
        }
      },
      (e) => {
        end();
        setError(toErrorShape(e));
      },
    );
    const cancel = () => {
      unsubscribe();
      end();
      setNote('Export cancelled; the partial file was removed.');
    };
    stop.current = unsubscribe;
    setRunning({ lines: 0, bytes: 0, file: null, cancel });
  };

  const start = async () => {
    setNote(null);
    setError(null);
    if (scope === 'shown') return exportShown();
    if (!selection) return;
    try {
      await exportRange({ selection, format, ...range });
    } catch (e) {
      setError(toErrorShape(e));
    }
  };

  return (
    <div className="log-export">
      <Field label="Export">
        <select value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          <option value="shown">the lines shown</option>
          <option value="range">the whole range (from the engine)</option>
        </select>
      </Field>
      <Field label="As">
        <select value={format} onChange={(e) => setFormat(e.target.value as LogExportFormat)}>
          <option value="text">text (docker logs -t)</option>
          <option value="jsonl">JSON lines</option>
        </select>
      </Field>
      {scope === 'shown' && searching && (
        <label>
          <input type="checkbox" checked={onlyMatching} onChange={(e) => setOnlyMatching(e.target.checked)} /> only
          lines matching the search
        </label>
      )}
      {running ? (
        <>
          <output className="log-export-progress" aria-live="polite">
            Exporting{running.file ? ` to ${running.file}` : ''}: {running.lines.toLocaleString('en')} lines,{' '}
            {formatBytes(running.bytes)}
          </output>
          <Button size="small" variant="danger" onClick={running.cancel}>
            Cancel export
          </Button>
        </>
      ) : (
        <Button size="small" onClick={start} disabled={scope === 'range' && !selection}>
          Export
        </Button>
      )}
      {note && <output className="notice">{note}</output>}
      {error && <ErrorNotice title="The export failed" error={error} />}
    </div>
  );
}
