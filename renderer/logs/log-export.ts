import { exportLine, type LogExportFormat, type MergedLogSource } from '../../electron/contract';
import { isMarker, type LogRing } from './log-ring';
import type { Matcher } from './log-search';

/**
 * "The lines shown": the lines the view holds, or only those the search matches, written exactly as the
 * backend writes a whole-range export (the contract's exportLine), so both files read the same way.
 */
export function shownLines(
  ring: LogRing,
  sources: readonly MergedLogSource[],
  format: LogExportFormat,
  matcher: Matcher | null,
): { text: string; lines: number } {
  const out: string[] = [];
  for (const line of ring) {
    if (isMarker(line)) continue;
    if (matcher?.ok && matcher.find(line.text).length === 0) continue;
    out.push(exportLine(line, sources, format));
  }
  return { text: out.join(''), lines: out.length };
}

/** Save text as a file through a Blob URL (no server round trip, works under a strict CSP). */
export function downloadText(text: string, fileName: string, type = 'text/plain;charset=utf-8'): void {
  downloadHref(URL.createObjectURL(new Blob([text], { type })), fileName, true);
}

/** Start a download of a same-origin address (or a Blob URL, revoked once the download has started). */
export function downloadHref(href: string, fileName: string, revoke = false): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  if (revoke) setTimeout(() => URL.revokeObjectURL(href), 0);
}
