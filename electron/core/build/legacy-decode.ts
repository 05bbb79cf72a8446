/**
 * Turns the legacy builder's JSON lines into build events. The engine writes each marker as a message of its
 * own ("Step i/n : INSTR", " ---> Using cache", " ---> Running in <id>", " ---> <id>", "Removing intermediate
 * container <id>"), and a RUN's output as messages of whatever the command wrote: those go out as they come,
 * newlines and carriage returns kept. The engine wraps each write of the container's stderr, whole, in
 * ESC[91m ... ESC[0m (one JSON line is one write), which is how a line's stream is known; the order of the lines
 * says nothing about the order in which the process wrote to the two streams.
 * The legacy builder sends no times: steps are stamped as messages arrive.
 */
import { type BuildEvent, exitCodeOf, type StepRef, type StreamLine } from './build-event';

const STEP = /^Step (\d+)\/(\d+) : (.*)$/s;
const STDERR_ON = '\u001b[91m';
const STDERR_OFF = '\u001b[0m';

interface OpenStep {
  ref: StepRef;
  keyword: string;
  cached: boolean;
  pulled: boolean;
  /** A container ran for it, or it committed an image: the engine did work for it. */
  worked: boolean;
}

export class LegacyDecoder {
  private current: OpenStep | null = null;
  private afterHeader = false;

  constructor(
    private readonly now: () => number = Date.now,
    /** What an unmarked output message is: dockerd marks stderr and leaves stdout bare; Podman marks neither. */
    private readonly unmarked: 'stdout' | 'unknown' = 'stdout',
  ) {}

  push(line: StreamLine): BuildEvent[] {
    if (line.error !== undefined) {
      const message = line.errorDetail?.message ?? line.error;
      const code = exitCodeOf(message) ?? (line.errorDetail?.code || null);
      return [...this.finishStep('error', message), { kind: 'error', message, exitCode: code }];
    }
    const id = (line.aux as { ID?: string } | undefined)?.ID;
    if (id) return [{ kind: 'image', id }];
    if (line.status !== undefined) {
      if (this.current) this.current.pulled = true; // "Pulling from ...", layer downloads: the FROM fetched its image
      return [];
    }
    if (line.stream === undefined) return [];
    return this.message(line.stream);
  }

  /** The stream ended: the last step, if still open, is over. */
  end(): BuildEvent[] {
    return this.finishStep('done');
  }

  private message(raw: string): BuildEvent[] {
    const afterHeader = this.afterHeader;
    this.afterHeader = false;
    if (afterHeader && raw === '\n') return []; // the newline the engine sends after each "Step" header
    const step = STEP.exec(raw);
    if (step) {
      const events = this.finishStep('done');
      const ref: StepRef = { builder: 'legacy', number: Number(step[1]) };
      const keyword = (/^\S+/.exec(step[3] ?? '')?.[0] ?? '').toUpperCase();
      this.current = { ref, keyword, cached: false, pulled: false, worked: false };
      this.afterHeader = true;
      return [...events, { kind: 'step', ref, state: 'running', startedAt: this.now() }];
    }
    const warning = /^(?: ---> )?\[Warning\] ([\s\S]*?)\n?$/.exec(raw);
    if (warning) return [{ kind: 'warning', text: warning[1] ?? '' }];
    if (/^Successfully (built|tagged) /.test(raw)) return [];
    const current = this.current;
    if (!current) return [];
    if (raw === ' ---> Using cache\n') {
      current.cached = true;
      return [];
    }
    if (/^ ---> Running in [0-9a-f]+\n$/.test(raw)) {
      current.worked = true;
      return [];
    }
    if (/^Removing intermediate container [0-9a-f]+\n$/.test(raw)) return [];
    if (/^ ---> [0-9a-f]{11,}\n$/.test(raw)) {
      current.worked = true;
      return this.finishStep('done');
    }
    const stderr = raw.startsWith(STDERR_ON) && raw.endsWith(STDERR_OFF);
    const text = stderr ? raw.slice(STDERR_ON.length, -STDERR_OFF.length) : raw;
    return [{ kind: 'log', ref: current.ref, stream: stderr ? 'stderr' : this.unmarked, text }];
  }

  private finishStep(outcome: 'done' | 'error', error?: string): BuildEvent[] {
    const step = this.current;
    if (!step) return [];
    this.current = null;
    return [
      {
        kind: 'step',
        ref: step.ref,
        state: verdict(step, outcome),
        endedAt: this.now(),
        ...(error !== undefined && { error }),
      },
    ];
  }
}

/**
 * The engine's verdict on a finished step: " ---> Using cache" is a cache hit; a FROM that fetched nothing
 * reused the local image (BuildKit says CACHED for the same); a container or a new image is work done; a step
 * with neither (a global ARG) only set configuration.
 */
function verdict(step: OpenStep, outcome: 'done' | 'error'): 'cached' | 'done' | 'error' | 'metadata' {
  if (outcome === 'error') return 'error';
  if (step.cached) return 'cached';
  if (step.keyword === 'FROM') return step.pulled ? 'done' : 'cached';
  return step.worked ? 'done' : 'metadata';
}
