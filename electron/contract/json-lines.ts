/**
 * The ONE splitter for the engine's newline-delimited JSON streams (build, push, /events): bytes in, in any
 * chunking, JSON objects out. A UTF-8 character split across chunks is kept whole (streaming TextDecoder);
 * an unfinished line waits for its newline; blank keep-alive lines, CRLF, and lines that are not JSON
 * objects are skipped; a line longer than `maxLineLength` is dropped whole (and counted) instead of growing
 * memory without bound. Pure: no Node imports.
 */

/** Longest line kept, in characters. BuildKit's base64 trace lines are the largest seen: well under this. */
export const MAX_JSON_LINE_LENGTH = 16 * 1024 * 1024;

export class JsonLines<T extends object = Record<string, unknown>> {
  private readonly decoder = new TextDecoder('utf-8');
  private pending: string[] = [];
  private pendingLength = 0;
  /** true while skipping the rest of a line that went over the limit */
  private skipping = false;
  /** How many lines were dropped for being longer than the limit. */
  dropped = 0;

  constructor(private readonly maxLineLength = MAX_JSON_LINE_LENGTH) {}

  /** The complete objects in `chunk` (with what was left over before it). */
  push(chunk: Uint8Array | string): T[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: T[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.take(text.slice(from, nl));
      this.finishLine(out);
      from = nl + 1;
    }
    this.take(text.slice(from));
    return out;
  }

  /** The stream ended: the last line, if it had no newline. */
  end(): T[] {
    const out: T[] = [];
    this.take(this.decoder.decode());
    this.finishLine(out);
    return out;
  }

  /** Forgets a half-received line (the stream was cut). */
  reset(): void {
    this.decoder.decode();
    this.pending = [];
    this.pendingLength = 0;
    this.skipping = false;
  }

  private take(piece: string): void {
    if (this.skipping || piece.length === 0) return;
    if (this.pendingLength + piece.length > this.maxLineLength) {
      this.pending = [];
      this.pendingLength = 0;
      this.skipping = true;
      this.dropped += 1;
      return;
    }
    this.pending.push(piece);
    this.pendingLength += piece.length;
  }

  private finishLine(out: T[]): void {
    const line = this.pending.length === 1 ? (this.pending[0] ?? '') : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    const value = parseJsonObject<T>(line);
    if (value) out.push(value);
  }
}

/** One line as a JSON object; null for blank lines, non-JSON, and JSON that is not an object. */
export function parseJsonObject<T extends object = Record<string, unknown>>(line: string): T | null {
  const text = line.trim();
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as T) : null;
  } catch {
    return null;
  }
}
