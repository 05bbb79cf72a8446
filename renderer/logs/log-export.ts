import { stripAnsi } from './ansi';
import type { LogRing } from './log-ring';

/** The ring as plain text (escapes removed), with timestamps when they are shown. */
export function ringText(ring: LogRing, withTimestamps: boolean): string {
  const out: string[] = [];
  for (const line of ring) {
    const prefix = line.stream === 'stderr' ? '[stderr] ' : '';
    out.push(`${withTimestamps && line.ts ? `${line.ts} ` : ''}${prefix}${stripAnsi(line.text)}`);
  }
  return out.join('\n');
}

/** Save text as a file through a Blob URL (no server round trip, works under a strict CSP). */
export function downloadText(text: string, fileName: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
