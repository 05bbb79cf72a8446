/**
 * What the backend must provide for every name in the contract: one async function per procedure and
 * one function per event stream. The router validates around these, so handlers receive parsed
 * arguments (defaults applied) and may assume them well formed.
 */
import type { ProcedureArgs, ProcedureName, ProcedureOutput, StreamEvent, StreamName, StreamParams } from '../contract';

export type Handlers = {
  [P in ProcedureName]: (args: ProcedureArgs<P>) => Promise<ProcedureOutput<P>>;
};

/**
 * A stream handler emits events until its promise resolves (the stream ended on its own) or until
 * `signal` aborts (the subscriber went away); after an abort, further `emit` calls are ignored.
 */
export type StreamHandlers = {
  [S in StreamName]: (
    params: StreamParams<S>,
    emit: (event: StreamEvent<S>) => void,
    signal: AbortSignal,
  ) => Promise<void> | void;
};
