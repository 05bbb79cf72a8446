import { memo } from 'react';
import type { LogLine } from '../../electron/contract';
import { parseAnsi, stripAnsi } from './ansi';
import { type Matcher, splitByRanges } from './log-search';

/** A line longer than this is drawn folded: its first FOLD_AT characters and its full length. */
export const FOLD_AT = 4096;

/** The container a merged line comes from: its name and its colour slot. */
export interface LineTag {
  name: string;
  slot: number;
}
export const TAG_COLOURS = 8;

interface LogLineViewProps {
  text: string;
  stream: LogLine['stream'];
  ts?: string | undefined;
  showTimestamp: boolean;
  matcher: Matcher | null;
  tag?: LineTag | undefined;
}

/**
 * One log line: optional container tag and time, a stderr mark, ANSI colours as classes, search matches in
 * <mark>. A very long line (a 1 MB JSON blob) is cut to FOLD_AT characters before any parsing, so drawing
 * it costs the same as a short one; its length shows beside it.
 */
export const LogLineView = memo(function LogLineView({
  text: whole,
  stream,
  ts,
  showTimestamp,
  matcher,
  tag,
}: LogLineViewProps) {
  const folded = whole.length > FOLD_AT;
  const text = folded ? whole.slice(0, FOLD_AT) : whole;
  const segments = parseAnsi(text);
  const ranges = matcher?.ok ? matcher.find(stripAnsi(text)) : [];
  const pieces = splitByRanges(segments, ranges);
  const stderr = stream === 'stderr';
  return (
    <>
      {tag && (
        <span className={`log-tag log-tag-${tag.slot % TAG_COLOURS}`} title={tag.name}>
          {tag.name}
        </span>
      )}
      {showTimestamp && (
        <time className="log-time" dateTime={ts} title={ts}>
          {ts ? ts.slice(11, 23) : ''}
        </time>
      )}
      {stderr ? (
        <abbr className="stream-mark" title="standard error">
          ERR
        </abbr>
      ) : (
        <span className="stream-mark" />
      )}
      <span className="log-text">
        {pieces.map((piece, i) =>
          piece.match ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one immutable line
            <mark key={i} className={piece.className || undefined}>
              {piece.text}
            </mark>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one immutable line
            <span key={i} className={piece.className || undefined}>
              {piece.text}
            </span>
          ),
        )}
      </span>
      {folded && (
        <span className="log-folded" title="This line is folded; copy or export the log for all of it.">
          … folded: {whole.length.toLocaleString('en')} characters
        </span>
      )}
    </>
  );
});
