import { FitAddon } from '@xterm/addon-fit';
import { type ITheme, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import {
  type ErrorShape,
  TERMINAL_COLS,
  TERMINAL_ROWS,
  type TerminalEvent,
  type TerminalTarget,
  terminalInputChunks,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Spinner } from '../ui/Spinner';
import { mirrorInlineStyles } from './xterm-styles';
import './terminal.css';

type Opened = Extract<TerminalEvent, { kind: 'opened' }>;

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1b1f24',
  cursor: '#1b1f24',
  selectionBackground: '#b6d3f7',
};
const DARK: ITheme = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#e6edf3',
  selectionBackground: '#264f78',
};
const darkQuery = (): MediaQueryList | undefined => globalThis.matchMedia?.('(prefers-color-scheme: dark)');
const clamp = (n: number, { min, max }: { min: number; max: number }): number => Math.min(max, Math.max(min, n));

/**
 * A real terminal (xterm.js) over the `terminal` stream: a shell in a running container, or a debug shell
 * in the state before a failed build step. Every key goes to the shell, Escape included (editors and
 * pagers need it); Shift+Escape moves focus out of the terminal to its Close button. Closing it (or leaving
 * the view) ends the shell, and a debug shell's container and image are removed.
 */
export function TerminalPanel({
  target,
  title,
  onClose,
}: {
  target: TerminalTarget;
  title: string;
  onClose: () => void;
}) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const [progress, setProgress] = useState<string | null>('Starting the shell…');
  const [opened, setOpened] = useState<Opened | null>(null);
  const [exitCode, setExitCode] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [refused, setRefused] = useState<ErrorShape | null>(null);
  const targetKey = JSON.stringify(target);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const parsedTarget = JSON.parse(targetKey) as TerminalTarget;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: darkQuery()?.matches ? DARK : LIGHT,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    const unmirror = mirrorInlineStyles([element, document.head]);
    const fitNow = (): void => {
      try {
        fit.fit();
      } catch {
        // not laid out yet (hidden): the next resize fits it
      }
    };
    fitNow();
    term.attachCustomKeyEventHandler((event) => {
      if (event.type === 'keydown' && event.key === 'Escape' && event.shiftKey) {
        closeButton.current?.focus();
        return false;
      }
      return true;
    });
    const size = () => ({ cols: clamp(term.cols, TERMINAL_COLS), rows: clamp(term.rows, TERMINAL_ROWS) });
    let live = false;
    const session = api.openSession(
      'terminal',
      { target: parsedTarget, size: size() },
      {
        onEvent: (event) => {
          if (event.kind === 'progress') setProgress(event.message);
          else if (event.kind === 'opened') {
            live = true;
            setProgress(null);
            setOpened(event);
            session.send({ kind: 'resize', ...size() });
            term.focus();
          } else if (event.kind === 'output') term.write(event.data);
          else {
            live = false;
            setExitCode(event.exitCode);
          }
        },
        onError: (e) => {
          live = false;
          setProgress(null);
          setError(e.toShape());
        },
        onRefused: (e) => setRefused(e.toShape()),
      },
    );
    const typed = term.onData((data) => {
      if (!live) return;
      for (const chunk of terminalInputChunks(data)) session.send({ kind: 'data', data: chunk });
    });
    const resized = term.onResize(() => {
      if (live) session.send({ kind: 'resize', ...size() });
    });
    const observer = new ResizeObserver(() => fitNow());
    observer.observe(element);
    const scheme = darkQuery();
    const onScheme = (): void => {
      term.options.theme = scheme?.matches ? DARK : LIGHT;
    };
    scheme?.addEventListener?.('change', onScheme);
    return () => {
      scheme?.removeEventListener?.('change', onScheme);
      observer.disconnect();
      typed.dispose();
      resized.dispose();
      session.close();
      unmirror();
      term.dispose();
    };
  }, [api, targetKey]);

  const debug = opened?.debug;
  return (
    <section className="terminal-panel" aria-label={title}>
      <header className="terminal-head">
        <h3>{title}</h3>
        {opened && (
          <span className="muted">
            {opened.shell} in container <code>{opened.container}</code>
          </span>
        )}
        <button
          ref={closeButton}
          type="button"
          className="btn btn-secondary btn-small"
          onClick={onClose}
          aria-label={`Close ${title}`}
        >
          Close
        </button>
      </header>
      {debug && (
        <div className="terminal-debug">
          <p>
            State just before <code>{debug.instruction}</code>, with its environment and working directory.
          </p>
          {debug.command !== null && (
            <p>
              The failing command is typed at the prompt: press <kbd>Enter</kbd> to run it.
            </p>
          )}
          {debug.rebuiltSteps > 0 && (
            <p className="warn">
              {debug.rebuiltSteps} earlier step(s) were not in the cache and ran again: the files may differ from the
              failed build’s.
            </p>
          )}
          {debug.notes.map((note) => (
            <p key={note} className="muted">
              {note}
            </p>
          ))}
        </div>
      )}
      {progress && <Spinner label={progress} />}
      {error && <ErrorNotice title="The terminal could not open" error={error} />}
      {refused && <ErrorNotice title="Berth refused that input" error={refused} />}
      <div ref={host} className="terminal-screen" data-testid="terminal-screen" />
      <p className="terminal-keys muted">
        Every key goes to the shell, Escape too. <kbd>Shift</kbd>+<kbd>Escape</kbd> leaves the terminal. Closing ends
        the shell{opened?.debug ? ' and removes its container' : ''}.
        {exitCode !== undefined && <strong> The shell exited with code {exitCode ?? 'unknown'}.</strong>}
      </p>
    </section>
  );
}
