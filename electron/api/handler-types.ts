/**
 * What the backend must provide for every name in the contract: one async function per procedure and
 * one function per event stream. The router validates around these, so handlers receive parsed
 * arguments (defaults applied) and may assume them well formed.
 */
import type {
  ProcedureArgs,
  ProcedureName,
  ProcedureOutput,
  StreamEvent,
  StreamInput,
  StreamName,
  StreamParams,
} from '../contract';

/** Who called, as far as the transport knows: in web mode the browser session (web/web-sessions.ts). */
export interface Caller {
  /** Absent on the desktop (IPC): there, nothing is fetched through a link. */
  session?: string;
}

export type Handlers = {
  [P in ProcedureName]: (args: ProcedureArgs<P>, caller: Caller) => Promise<ProcedureOutput<P>>;
};

/**
 * What a transport's `emit` answers: nothing when it has room for more, or a promise that settles when
 * the subscriber has caught up (the web socket drained below its low-water mark, or the renderer
 * acknowledged enough IPC deliveries). A handler whose source can wait (logs) awaits it before emitting
 * more; one that cannot (engine events, build and push models) ignores it.
 */
export type Readiness = Promise<void> | undefined | void;

/**
 * What a duplex stream's handler receives from its subscriber: each message, validated against the
 * stream's `input` schema. `listen` replaces the listener; until one is set, messages are refused (CONFLICT).
 * A listener that throws refuses that message with the error; the stream goes on.
 */
export interface StreamInbox<M> {
  listen(listener: (message: M) => void): void;
}

/**
 * A stream handler emits events until its promise resolves (the stream ended on its own) or until
 * `signal` aborts (the subscriber went away); after an abort, further `emit` calls are ignored and
 * answer ready, and every readiness promise already handed out settles.
 */
export type StreamHandlers = {
  [S in StreamName]: (
    params: StreamParams<S>,
    emit: (event: StreamEvent<S>) => Readiness,
    signal: AbortSignal,
    inbox: StreamInbox<StreamInput<S>>,
  ) => Promise<void> | void;
};
