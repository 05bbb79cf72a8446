import { memo } from 'react';
import type { LogLine } from '../../electron/contract';
import { parseAnsi, stripAnsi } from './ansi';
import { type Matcher, splitByRanges } from './log-search';

interface LogLineViewProps {
  line: LogLine;
  showTimestamp: boolean;
  matcher: Matcher | null;
}

/** One log line: optional time, a stderr mark, ANSI colours as classes, search matches in <mark>. */
export const LogLineView = memo(function LogLineView({ line, showTimestamp, matcher }: LogLineViewProps) {
  const segments = parseAnsi(line.text);
  const ranges = matcher?.ok ? matcher.find(stripAnsi(line.text)) : [];
  const pieces = splitByRanges(segments, ranges);
  const stderr = line.stream === 'stderr';
  return (
    <>
      {showTimestamp && (
        <time className="log-time" dateTime={line.ts} title={line.ts}>
          {line.ts ? line.ts.slice(11, 23) : ''}
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
    </>
  );
});
