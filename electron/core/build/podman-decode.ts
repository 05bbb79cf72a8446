/**
 * Podman's build stream (buildah behind the Docker-compatible API) in the legacy builder's terms. Podman writes
 * `[s/n] STEP i/m: INSTR` with i counted within stage s (no prefix for a one-stage build, global ARGs not
 * counted), `--> Using cache <id>` for a hit, `--> <11 hex>` when a step made its image, `COMMIT <name>`, and
 * the RUN output of both streams unmarked. Each line is rewritten into what dockerd's legacy builder writes
 * (`Step N/T : INSTR`, ` ---> Using cache`, ` ---> <id>`) with N the instruction's number in the whole
 * Dockerfile, found in the plan, and handed to the LegacyDecoder: one decoder, one verdict rule.
 * Podman does not print the global ARGs before the first FROM; they are applied as the build starts, so they
 * are reported as dockerd does, before the first step.
 * The LABEL step Podman appends for the build's labels is not in the Dockerfile; it is numbered past the plan,
 * so the fold ignores it. Recorded streams: fixtures/podman-*.jsonl.
 */
import type { BuildEvent, StreamLine } from './build-event';
import { LegacyDecoder } from './legacy-decode';
import type { PlannedStep } from './plan';

const STEP = /^(?:\[(\d+)\/\d+\] )?STEP (\d+)\/\d+: (.*?)\n?$/s;
const CACHE_HIT = /^--> Using cache [0-9a-f]+\n$/;
const MADE = /^--> ([0-9a-f]{11,})\n$/;
const COMMIT = /^(?:\[\d+\/\d+\] )?COMMIT /;
const FULL_ID = /^[0-9a-f]{64}\n$/;

export class PodmanDecoder {
  private readonly legacy: LegacyDecoder;
  /** Each stage's instruction numbers in the whole Dockerfile, in order. */
  private readonly stages: number[][] = [];
  private readonly total: number;
  /** The global ARGs' numbers, until the first step is seen. */
  private globalArgs: number[];

  constructor(plan: PlannedStep[], now: () => number = Date.now) {
    this.legacy = new LegacyDecoder(now, 'unknown');
    for (const step of plan) {
      if (!step.stage) continue;
      const numbers = this.stages[step.stage.index] ?? [];
      numbers.push(step.instruction.legacyNumber);
      this.stages[step.stage.index] = numbers;
    }
    this.total = plan.length;
    this.globalArgs = plan.filter((step) => !step.stage).map((step) => step.instruction.legacyNumber);
  }

  push(line: StreamLine): BuildEvent[] {
    if (line.stream === undefined) return this.legacy.push(line);
    const stream = this.translate(line.stream);
    if (stream === null) return [];
    const before = stream.startsWith('Step ') ? this.startGlobalArgs() : [];
    return [...before, ...this.legacy.push({ ...line, stream })];
  }

  private startGlobalArgs(): BuildEvent[] {
    const args = this.globalArgs;
    this.globalArgs = [];
    return args.flatMap((number) => this.legacy.push({ stream: `Step ${number}/${this.total} : ARG` }));
  }

  end(): BuildEvent[] {
    return this.legacy.end();
  }

  /** The line as dockerd's legacy builder would write it; null for Podman's own bookkeeping (COMMIT, the full id). */
  private translate(raw: string): string | null {
    const step = STEP.exec(raw);
    if (step) {
      const stage = this.stages[Number(step[1] ?? 1) - 1] ?? [];
      const number = stage[Number(step[2]) - 1] ?? this.total + 1;
      return `Step ${number}/${this.total} : ${step[3]}`;
    }
    if (CACHE_HIT.test(raw)) return ' ---> Using cache\n';
    const made = MADE.exec(raw);
    if (made) return ` ---> ${made[1]}\n`;
    if (COMMIT.test(raw) || FULL_ID.test(raw)) return null;
    return raw;
  }
}
