const NEWLINE = 0x0a;

/**
 * Longest line kept whole; longer output is cut into lines of this size. The json-file driver stores a
 * long line in 16 KiB pieces and the engine sends them as frames without a newline, so the pieces are
 * joined here: 4 MiB keeps a 1 MB JSON line whole (the view folds it) while memory stays bounded.
 */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Turns a byte stream into lines without their newline (and without a trailing CR, which TTY output adds).
 * A partial line is kept until its newline arrives or the stream ends. Bytes are only decoded at newlines,
 * so a UTF-8 character split across chunks stays intact. ANSI escapes pass through untouched.
 */
export class LineSplitter {
  private partial: Buffer[] = [];
  private partialBytes = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  push(data: Buffer, onLine: (text: string) => void): void {
    let start = 0;
    if (this.partialBytes > 0) {
      const first = data.indexOf(NEWLINE);
      if (first === -1) {
        this.keep(data, onLine);
        return;
      }
      this.partial.push(data.subarray(0, first));
      this.emitCut(Buffer.concat(this.partial), onLine);
      this.partial = [];
      this.partialBytes = 0;
      start = first + 1;
    }
    const last = data.lastIndexOf(NEWLINE);
    if (last >= start) {
      const text = data.toString('utf8', start, last);
      let from = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        onLine(withoutCR(text.slice(from, nl)));
        from = nl + 1;
      }
      onLine(withoutCR(text.slice(from)));
      start = last + 1;
    }
    if (start < data.length) this.keep(data.subarray(start), onLine);
  }

  /** True while a line has started but its newline has not come yet. */
  get midLine(): boolean {
    return this.partialBytes > 0;
  }

  /** Emits the last line if the stream ended without a newline. */
  end(onLine: (text: string) => void): void {
    if (this.partialBytes === 0) return;
    this.emitCut(Buffer.concat(this.partial), onLine);
    this.partial = [];
    this.partialBytes = 0;
  }

  private keep(data: Buffer, onLine: (text: string) => void): void {
    // Copy: a slice would pin the whole engine chunk in memory.
    this.partial.push(Buffer.from(data));
    this.partialBytes += data.length;
    if (this.partialBytes <= this.maxLineBytes) return;
    let whole = Buffer.concat(this.partial);
    while (whole.length > this.maxLineBytes) {
      const cut = utf8Boundary(whole, this.maxLineBytes);
      onLine(whole.toString('utf8', 0, cut));
      whole = whole.subarray(cut);
    }
    this.partial = whole.length ? [Buffer.from(whole)] : [];
    this.partialBytes = whole.length;
  }

  /** Emits a completed line, cut into pieces of at most maxLineBytes. */
  private emitCut(line: Buffer, onLine: (text: string) => void): void {
    let rest = line;
    while (rest.length > this.maxLineBytes) {
      const cut = utf8Boundary(rest, this.maxLineBytes);
      onLine(rest.toString('utf8', 0, cut));
      rest = rest.subarray(cut);
    }
    onLine(withoutCR(rest.toString('utf8')));
  }
}

function withoutCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The largest cut ≤ limit that does not split a UTF-8 character. */
export function utf8Boundary(bytes: Buffer, limit: number): number {
  if (limit >= bytes.length) return bytes.length;
  let cut = limit;
  // Step back over continuation bytes (10xxxxxx) so the cut lands before a character's first byte.
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return cut === 0 ? limit : cut;
}
