/**
 * Turns the legacy builder's JSON lines ("Step i/n : INSTR", " ---> Using cache", " ---> <id>", RUN output,
 * `aux.ID`, `error`) into build events. The legacy builder sends no times: steps are stamped as lines arrive.
 */
import { type BuildEvent, exitCodeOf, type StepRef, type StreamLine } from './build-event';

const STEP = /^Step (\d+)\/(\d+) : /;
const STDERR_ON = '\u001b[91m';
const STDERR_OFF = '\u001b[0m';

export class LegacyDecoder {
  private current: { ref: StepRef; cached: boolean; pulled: boolean } | null = null;
  /** The unfinished last line of each stream: the two are written independently, so never joined. */
  private readonly partial = { stdout: '', stderr: '' };

  constructor(private readonly now: () => number = Date.now) {}

  push(line: StreamLine): BuildEvent[] {
    if (line.error !== undefined) {
      const message = line.errorDetail?.message ?? line.error;
      const events = [...this.flush(), ...this.finishStep('error', message)];
      const code = exitCodeOf(message) ?? (line.errorDetail?.code || null);
      return [...events, { kind: 'error', message, exitCode: code }];
    }
    const id = (line.aux as { ID?: string } | undefined)?.ID;
    if (id) return [{ kind: 'image', id }];
    if (line.status !== undefined && this.current) {
      this.current.pulled = true; // "Pulling from ...", layer downloads: the FROM fetched its image
      return [];
    }
    if (line.stream === undefined) return [];
    // The engine wraps each write of a RUN's stderr, whole, in STDERR_ON ... STDERR_OFF; one JSON line is one
    // write. So the wrapping says which stream a line belongs to; the order of the lines says nothing about
    // the order in which the process wrote to the two streams.
    const stderr = line.stream.startsWith(STDERR_ON) && line.stream.endsWith(STDERR_OFF);
    const stream = stderr ? 'stderr' : 'stdout';
    const body = stderr ? line.stream.slice(STDERR_ON.length, -STDERR_OFF.length) : line.stream;
    let text = this.partial[stream] + body;
    const events: BuildEvent[] = [];
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      events.push(...this.line(text.slice(0, newline), stream, true));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    this.partial[stream] = text;
    return events;
  }

  /** The stream ended: the last step, if still open, is over. */
  end(): BuildEvent[] {
    return [...this.flush(), ...this.finishStep('done')];
  }

  private flush(): BuildEvent[] {
    const events: BuildEvent[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream];
      this.partial[stream] = '';
      if (rest) events.push(...this.line(rest, stream, false));
    }
    return events;
  }

  /** One line of a stream; `complete` when its newline came (log events carry text as written, newline included). */
  private line(raw: string, stream: 'stdout' | 'stderr', complete: boolean): BuildEvent[] {
    const text = raw.replaceAll(STDERR_ON, '').replaceAll(STDERR_OFF, '');
    const log = (ref: StepRef): BuildEvent => ({ kind: 'log', ref, stream, text: complete ? `${text}\n` : text });
    if (stream === 'stderr') return this.current ? [log(this.current.ref)] : [];
    const step = STEP.exec(text);
    if (step) {
      const events = this.finishStep('done');
      const ref: StepRef = { builder: 'legacy', number: Number(step[1]) };
      this.current = { ref, cached: false, pulled: false };
      return [...events, { kind: 'step', ref, state: 'running', startedAt: this.now() }];
    }
    if (!this.current) return [];
    if (text === ' ---> Using cache') {
      this.current.cached = true;
      return [];
    }
    if (/^ ---> [0-9a-f]{12,}$/.test(text)) return this.finishStep('done');
    if (/^ ---> Running in [0-9a-f]+$/.test(text) || /^Removing intermediate container [0-9a-f]+$/.test(text))
      return [];
    if (/^Successfully (built|tagged) /.test(text)) return [];
    return [log(this.current.ref)];
  }

  private finishStep(state: 'done' | 'error', error?: string): BuildEvent[] {
    const step = this.current;
    if (!step) return [];
    this.current = null;
    return [
      {
        kind: 'step',
        ref: step.ref,
        state: state === 'done' && step.cached ? 'cached' : state,
        endedAt: this.now(),
        pulled: step.pulled,
        ...(error !== undefined && { error }),
      },
    ];
  }
}
