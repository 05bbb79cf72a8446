import {
  type BerthApi,
  BerthError,
  type DuplexSession,
  type DuplexStreamName,
  type ErrorCode,
  type ProcedureInput,
  type ProcedureName,
  type ProcedureOutput,
  type StreamEvent,
  type StreamInput,
  type StreamName,
  type StreamParamsInput,
} from '../../electron/contract';

type Handler<P extends ProcedureName> =
  | ProcedureOutput<P>
  | BerthError
  | ((input: ProcedureInput<P>) => ProcedureOutput<P> | Promise<ProcedureOutput<P>>);

interface Subscription<S extends StreamName = StreamName> {
  name: S;
  params: StreamParamsInput<S>;
  onEvent: (event: StreamEvent<S>) => void;
  onError: ((error: BerthError) => void) | undefined;
  active: boolean;
}

/**
 * An in-memory BerthApi for component tests: script answers per procedure (a value, a BerthError to
 * reject with, or a function of the input), record every call, and push events into open streams.
 * A procedure without a script rejects with NOT_FOUND so a missing script shows up in the test.
 */
export class FakeApi implements BerthApi {
  readonly calls: { name: ProcedureName; input: unknown }[] = [];
  readonly subscriptions: Subscription[] = [];
  private readonly handlers = new Map<ProcedureName, Handler<ProcedureName>>();
  private readonly pending = new Set<ProcedureName>();

  /** Answer `name` with a value, an error, or a function of the input. */
  on<P extends ProcedureName>(name: P, handler: Handler<P>): this {
    this.handlers.set(name, handler as unknown as Handler<ProcedureName>);
    this.pending.delete(name);
    return this;
  }

  has(name: ProcedureName): boolean {
    return this.handlers.has(name) || this.pending.has(name);
  }

  /** Make `name` never answer (to see loading states). */
  hang(name: ProcedureName): this {
    this.pending.add(name);
    return this;
  }

  fail(name: ProcedureName, code: ErrorCode, message: string, fix?: string, fields?: Record<string, string[]>): this {
    return this.on(name, new BerthError(code, message, fix, fields) as never);
  }

  call<P extends ProcedureName>(name: P, input: ProcedureInput<P>): Promise<ProcedureOutput<P>> {
    this.calls.push({ name, input });
    if (this.pending.has(name)) return new Promise(() => {});
    const handler = this.handlers.get(name) as Handler<P> | undefined;
    if (handler === undefined) {
      return Promise.reject(new BerthError('NOT_FOUND', `fake api: no answer scripted for ${name}`));
    }
    if (handler instanceof BerthError) return Promise.reject(handler);
    if (typeof handler === 'function') {
      try {
        return Promise.resolve(
          (handler as (i: ProcedureInput<P>) => ProcedureOutput<P> | Promise<ProcedureOutput<P>>)(input),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return Promise.resolve(structuredClone(handler));
  }

  subscribe<S extends StreamName>(
    name: S,
    params: StreamParamsInput<S>,
    onEvent: (event: StreamEvent<S>) => void,
    onError?: (error: BerthError) => void,
  ): () => void {
    const subscription: Subscription<S> = { name, params, onEvent, onError, active: true };
    this.subscriptions.push(subscription as unknown as Subscription);
    return () => {
      subscription.active = false;
    };
  }

  /** What each duplex subscription sent up, in order. */
  readonly sent: { name: StreamName; message: unknown }[] = [];

  openSession<S extends DuplexStreamName>(
    name: S,
    params: StreamParamsInput<S>,
    listeners: { onEvent: (event: StreamEvent<S>) => void; onError?: (error: BerthError) => void },
  ): DuplexSession<S> {
    const close = this.subscribe(name, params, listeners.onEvent, listeners.onError);
    return {
      send: (message: StreamInput<S>) => {
        this.sent.push({ name, message });
      },
      close,
    };
  }

  /** Deliver an event to every open subscription of `name`. */
  emit<S extends StreamName>(name: S, event: StreamEvent<S>): void {
    for (const s of this.open(name)) (s.onEvent as (e: StreamEvent<S>) => void)(event);
  }

  /** Fail every open subscription of `name`. */
  emitError(name: StreamName, error: BerthError): void {
    for (const s of this.open(name)) s.onError?.(error);
  }

  open(name: StreamName): Subscription[] {
    return this.subscriptions.filter((s) => s.name === name && s.active);
  }

  callsTo(name: ProcedureName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }
}
