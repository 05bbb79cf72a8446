/**
 * The one dispatcher both transports use: it checks the name against the contract, validates input
 * (or stream params), runs the handler, validates what comes back, and turns every failure into a
 * BerthError. Transports only move bytes; they never call handlers directly.
 */
import {
  BerthError,
  invalidInput,
  isProcedureName,
  isStreamName,
  type ProcedureName,
  type ProcedureOutput,
  procedures,
  type StreamEvent,
  type StreamName,
  streamInputSchema,
  streams,
} from '../contract';
import { toPublicError } from './error-mapping';
import type { Caller, Handlers, Readiness, StreamHandlers } from './handler-types';

export type { Caller, Handlers, Readiness, StreamHandlers, StreamInbox } from './handler-types';

/** A subscription as a transport holds it: `close` ends it, `send` carries a message up a duplex stream. */
export interface StreamSession {
  close(): void;
  /** Validates and delivers a message; answers the refusal (with a code) or undefined when it was taken. */
  send(rawMessage: unknown): BerthError | undefined;
}

export interface Router {
  /**
   * Resolves with the validated output, or rejects with a BerthError (never anything else). `caller` is
   * what the transport knows of who asked (web mode: the browser session); the desktop gives none.
   */
  call(name: unknown, rawInput: unknown, caller?: Caller): Promise<ProcedureOutput<ProcedureName>>;
  /**
   * Starts a stream. Exactly one of `onError` or `onEnd` is called when it stops on its own; neither is
   * called after the returned function has been called (it aborts the handler's signal). What `emit`
   * answers (the transport's readiness) goes back to the handler unchanged, so a slow subscriber slows
   * the source; a transport must settle its pending readiness promises when the subscription ends.
   */
  subscribe(
    name: unknown,
    rawParams: unknown,
    emit: (event: StreamEvent<StreamName>) => Readiness,
    onError: (error: BerthError) => void,
    onEnd: () => void,
  ): () => void;
  /** As `subscribe`, for a transport that also carries messages up (duplex streams such as `terminal`). */
  open(
    name: unknown,
    rawParams: unknown,
    emit: (event: StreamEvent<StreamName>) => Readiness,
    onError: (error: BerthError) => void,
    onEnd: () => void,
  ): StreamSession;
}

const unknownName = (kind: 'procedure' | 'stream', name: unknown): BerthError =>
  new BerthError(
    'NOT_FOUND',
    `No such ${kind}: ${typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : typeof name}.`,
    `Use one of the ${kind === 'procedure' ? 'procedures' : 'streams'} declared in electron/contract.`,
  );

export function createRouter(handlers: Handlers, streamHandlers: StreamHandlers): Router {
  async function call(name: unknown, rawInput: unknown, caller: Caller = {}): Promise<ProcedureOutput<ProcedureName>> {
    if (!isProcedureName(name)) throw unknownName('procedure', name);
    const spec = procedures[name];
    const input = spec.input.safeParse(rawInput);
    if (!input.success) throw invalidInput(`input for ${name}`, input.error.issues);
    let output: unknown;
    try {
      const handler = handlers[name] as (args: unknown, caller: Caller) => Promise<unknown>;
      output = await handler(input.data, caller);
    } catch (error) {
      throw toPublicError(error, name);
    }
    const checked = spec.output.safeParse(output);
    if (!checked.success) {
      throw toPublicError(new Error(`${name} returned a value outside the contract: ${checked.error.message}`), name);
    }
    return checked.data as ProcedureOutput<ProcedureName>;
  }

  function open(
    name: unknown,
    rawParams: unknown,
    emit: (event: StreamEvent<StreamName>) => Readiness,
    onError: (error: BerthError) => void,
    onEnd: () => void,
  ): StreamSession {
    const controller = new AbortController();
    let finished = false;
    const finish = (error?: BerthError): void => {
      if (finished || controller.signal.aborted) return;
      finished = true;
      controller.abort();
      if (error) onError(error);
      else onEnd();
    };
    const unsubscribe = (): void => {
      finished = true;
      controller.abort();
    };
    let listener: ((message: unknown) => void) | undefined;
    const ended = (): BerthError =>
      new BerthError('NOT_FOUND', 'This stream has ended.', 'Open a new one to send more.');
    const refuseAll: StreamSession = { close: unsubscribe, send: () => ended() };

    if (!isStreamName(name)) {
      queueMicrotask(() => finish(unknownName('stream', name)));
      return refuseAll;
    }
    const spec = streams[name];
    const params = spec.params.safeParse(rawParams);
    if (!params.success) {
      queueMicrotask(() => finish(invalidInput(`parameters for the ${name} stream`, params.error.issues)));
      return refuseAll;
    }
    const inputSchema = streamInputSchema(name);
    const send = (rawMessage: unknown): BerthError | undefined => {
      if (!inputSchema) {
        return new BerthError('UNSUPPORTED', `The ${name} stream takes no messages.`, 'Only send up duplex streams.');
      }
      if (finished || controller.signal.aborted) return ended();
      const message = inputSchema.safeParse(rawMessage);
      if (!message.success) return invalidInput(`message for the ${name} stream`, message.error.issues);
      if (!listener) {
        return new BerthError('CONFLICT', `The ${name} stream is not ready for input yet.`, 'Wait until it opens.');
      }
      try {
        listener(message.data);
        return undefined;
      } catch (error) {
        return toPublicError(error, `the ${name} stream`);
      }
    };
    const inbox = {
      listen: (next: (message: unknown) => void): void => {
        listener = next;
      },
    };

    const checkedEmit = (event: unknown): Readiness => {
      if (finished || controller.signal.aborted) return undefined;
      const checked = spec.event.safeParse(event);
      if (checked.success) return emit(checked.data as StreamEvent<StreamName>);
      finish(toPublicError(new Error(`${name} emitted an event outside the contract: ${checked.error.message}`), name));
      return undefined;
    };
    const handler = streamHandlers[name] as (
      params: unknown,
      emit: (event: unknown) => Readiness,
      signal: AbortSignal,
      inbox: { listen(listener: (message: unknown) => void): void },
    ) => Promise<void> | void;
    // Run on the next tick so callers get their unsubscribe function before the first event.
    // A returned promise ends the stream when it settles; a handler that returns nothing (listener
    // style) lives until the signal aborts.
    queueMicrotask(() => {
      if (finished) return;
      const fail = (error: unknown): void => finish(toPublicError(error, `the ${name} stream`));
      try {
        const running = handler(params.data, checkedEmit, controller.signal, inbox);
        if (running instanceof Promise) running.then(() => finish(), fail);
      } catch (error) {
        fail(error);
      }
    });
    return { close: unsubscribe, send };
  }

  const subscribe: Router['subscribe'] = (name, rawParams, emit, onError, onEnd) =>
    open(name, rawParams, emit, onError, onEnd).close;

  return { call, subscribe, open };
}
