/**
 * Turns BuildKit's stream (`moby.buildkit.trace` protobuf payloads and `moby.image.id`) into build events:
 * vertexes are merged by digest, internal vertexes ([internal] load ..., exporting ...) are left out.
 */
import { type BuildEvent, exitCodeOf, type StepRef, type StreamLine } from './build-event';
import { decodeTrace, type TraceVertex } from './buildkit-trace';

const STEP_NAME = /^\[(?:(\S+) )?(\d+)\/(\d+)\] /;

/** `[build 2/7] WORKDIR /app` → stage "build", position 2; null for internal vertexes. */
export function stepRefOf(name: string): StepRef | null {
  const match = STEP_NAME.exec(name);
  if (!match) return null;
  return { builder: 'buildkit', stage: match[1] ?? null, position: Number(match[2]) };
}

export class BuildKitDecoder {
  private readonly vertexes = new Map<string, TraceVertex>();
  private readonly internalErrors = new Set<string>();

  push(line: StreamLine): BuildEvent[] {
    if (line.error !== undefined) {
      const message = line.errorDetail?.message ?? line.error;
      return [{ kind: 'error', message, exitCode: exitCodeOf(message) }];
    }
    if (line.id === 'moby.image.id') {
      const id = (line.aux as { ID?: string } | undefined)?.ID;
      return id ? [{ kind: 'image', id }] : [];
    }
    if (line.id !== 'moby.buildkit.trace' || typeof line.aux !== 'string') return [];
    const trace = decodeTrace(line.aux);
    const events: BuildEvent[] = [];
    for (const update of trace.vertexes) {
      const known = this.vertexes.get(update.digest);
      this.vertexes.set(update.digest, { ...known, ...update });
    }
    for (const { digest } of trace.vertexes) {
      const vertex = this.vertexes.get(digest);
      if (!vertex) continue;
      const ref = vertex.name ? stepRefOf(vertex.name) : null;
      if (!ref) {
        if (vertex.error && vertex.name && !this.internalErrors.has(digest)) {
          this.internalErrors.add(digest);
          events.push({ kind: 'internal-error', name: vertex.name, error: vertex.error });
        }
        continue;
      }
      const state = vertex.error
        ? 'error'
        : vertex.completed
          ? vertex.cached
            ? 'cached'
            : 'done'
          : vertex.started
            ? 'running'
            : 'queued';
      events.push({
        kind: 'step',
        ref,
        state,
        ...(vertex.started !== undefined && { startedAt: vertex.started }),
        ...(vertex.completed !== undefined && { endedAt: vertex.completed }),
        ...(vertex.error !== undefined && { error: vertex.error }),
        vertex: { digest: vertex.digest, inputs: vertex.inputs },
      });
    }
    for (const log of trace.logs) {
      const name = this.vertexes.get(log.vertex)?.name;
      const ref = name ? stepRefOf(name) : null;
      if (ref)
        events.push({ kind: 'log', ref, stream: log.stream === 2 ? 'stderr' : 'stdout', text: log.msg.toString() });
    }
    for (const warning of trace.warnings) {
      events.push({ kind: 'warning', text: [warning.short, ...warning.detail].filter(Boolean).join(' ').trim() });
    }
    return events;
  }
}
