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
  private partial = '';
  private stderr = false;

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
    let text = this.partial + line.stream;
    const events: BuildEvent[] = [];
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      events.push(...this.line(text.slice(0, newline)));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    this.partial = text;
    return events;
  }

  /** The stream ended: the last step, if still open, is over. */
  end(): BuildEvent[] {
    return [...this.flush(), ...this.finishStep('done')];
  }

  private flush(): BuildEvent[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? this.line(rest) : [];
  }

  private line(raw: string): BuildEvent[] {
    let text = raw;
    if (text.includes(STDERR_ON)) this.stderr = true;
    const stream = this.stderr ? 'stderr' : 'stdout';
    if (text.includes(STDERR_OFF) && this.stderr) this.stderr = false;
    text = text.replaceAll(STDERR_ON, '').replaceAll(STDERR_OFF, '');
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
    return [{ kind: 'log', ref: this.current.ref, stream, text }];
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
