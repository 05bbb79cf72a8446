import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Spinner } from '../ui/Spinner';
import { reloadOnce, ViewLoadError } from './view-loading';

export interface ViewBoundaryProps {
  /** What the user calls the part that failed: "Build", "Berth". */
  label: string;
  children: ReactNode;
  /** How to reload the page; the browser's own by default (tests pass their own). */
  reload?: () => void;
  /** Where the last self-reload is remembered; sessionStorage by default. */
  memory?: Pick<Storage, 'getItem' | 'setItem'>;
}

interface State {
  error: unknown;
  reloading: boolean;
}

const browserReload = () => globalThis.location.reload();
const sessionMemory = () => {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
};

/**
 * Keeps a failure inside the part that failed. A view whose code did not arrive reloads the page once;
 * any other error shows its message with a way out, and the bar and navigation stay usable. Without it
 * one thrown error unmounts the whole dashboard and leaves a blank page.
 */
export class ViewBoundary extends Component<ViewBoundaryProps, State> {
  override state: State = { error: null, reloading: false };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    if (!(error instanceof ViewLoadError)) return;
    if (reloadOnce(this.props.memory ?? sessionMemory(), Date.now(), this.reload)) this.setState({ reloading: true });
  }

  private reload = () => (this.props.reload ?? browserReload)();

  private retry = () => this.setState({ error: null, reloading: false });

  override render() {
    const { error, reloading } = this.state;
    if (error === null) return this.props.children;
    if (reloading) return <Spinner label={`Reloading to fetch ${this.props.label} again`} />;
    if (error instanceof ViewLoadError) {
      return (
        <ErrorNotice
          title={`${this.props.label} did not load.`}
          error={{
            code: 'INTERNAL',
            message: error.message,
            fix: 'Reload the page. If it fails again, check that Berth (`npm start`) is still running.',
          }}
          action={
            <Button variant="primary" onClick={this.reload}>
              Reload
            </Button>
          }
        />
      );
    }
    return (
      <ErrorNotice
        title={`${this.props.label} stopped with an error.`}
        error={{
          code: 'INTERNAL',
          message: error instanceof Error ? error.message : String(error),
          fix: 'Try again. If it happens again, reload the page, and report what you did with this message.',
        }}
        action={
          <>
            <Button variant="primary" onClick={this.retry}>
              Try again
            </Button>{' '}
            <Button onClick={this.reload}>Reload</Button>
          </>
        }
      />
    );
  }
}
