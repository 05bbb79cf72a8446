import { type Ref, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MergedLogSource } from '../../electron/contract';
import { type LineTag, LogLineView } from './LogLineView';
import type { LogRing } from './log-ring';
import type { Matcher } from './log-search';

export const LINE_HEIGHT = 20;

export interface LogViewportHandle {
  scrollToLine: (index: number) => void;
}

interface LogViewportProps {
  ring: LogRing;
  version: number;
  matcher: Matcher | null;
  showTimestamps: boolean;
  follow: boolean;
  onUserScrollUp: () => void;
  currentMatch: number | null;
  handle: Ref<LogViewportHandle>;
  /** Merged view: the containers, indexed by each line's `source`; each line then carries a coloured tag. */
  sources?: readonly MergedLogSource[] | undefined;
}

/** Rows drawn above and below the visible ones, so a fast scroll never shows a gap. */
const OVERSCAN = 20;
/** Height used until the viewport has been measured (jsdom never lays out). */
const FALLBACK_HEIGHT = 600;

/**
 * Only the lines on screen are in the DOM, so a 200k-line ring scrolls as fast as a 20-line one. Every row
 * is LINE_HEIGHT tall, so the visible range follows from scrollTop alone: the cost of a render is the rows
 * on screen, never the number of lines held (a general virtualiser re-measures as the count grows).
 */
export function LogViewport({
  ring,
  version,
  matcher,
  showTimestamps,
  follow,
  onUserScrollUp,
  currentMatch,
  handle,
  sources,
}: LogViewportProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);

  useImperativeHandle(
    handle,
    () => ({
      scrollToLine: (index) => {
        const el = scroller.current;
        if (el) el.scrollTop = Math.max(0, index * LINE_HEIGHT - (el.clientHeight || FALLBACK_HEIGHT) / 2);
      },
    }),
    [],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version says the ring changed
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (el.clientHeight > 0 && el.clientHeight !== height) setHeight(el.clientHeight);
    if (follow && ring.size > 0) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [follow, version, ring, height]);

  // Only a move upwards is the user leaving the end: while following a fast stream the list grows
  // between the batch arriving and the follow effect scrolling, which leaves the view briefly far from
  // the bottom without anyone having scrolled.
  const lastScrollTop = useRef(0);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    if (el.clientHeight > 0 && el.clientHeight !== height) setHeight(el.clientHeight);
    const movedUp = el.scrollTop < lastScrollTop.current;
    lastScrollTop.current = el.scrollTop;
    if (follow && movedUp && el.scrollHeight - el.scrollTop - el.clientHeight > LINE_HEIGHT * 3) onUserScrollUp();
  };

  // One tag object per source for as long as the sources stay the same, so memoised rows stay memoised.
  const tags = useMemo<LineTag[]>(() => (sources ?? []).map((s, slot) => ({ name: s.name, slot })), [sources]);
  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(ring.size, Math.ceil((scrollTop + height) / LINE_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let index = first; index < last; index++) {
    const text = ring.textAt(index);
    if (text === undefined) continue;
    const stream = ring.streamAt(index);
    const source = ring.sourceAt(index);
    const tag = source === undefined ? undefined : tags[source];
    if (ring.isMarkerAt(index)) {
      rows.push(
        <div
          key={ring.dropped + index}
          className="log-line log-marker"
          role="note"
          data-index={index}
          style={{ transform: `translateY(${index * LINE_HEIGHT}px)` }}
        >
          {tag ? `${tag.name}: ` : ''}
          {text}
        </div>,
      );
      continue;
    }
    const classes = ['log-line', stream === 'stderr' ? 'log-stderr' : '', index === currentMatch ? 'log-current' : ''];
    rows.push(
      // Keyed by the line's absolute number, not its position: once the ring is full every batch shifts the
      // positions, and a row keyed by position would redraw its (now different) line on every batch.
      <div
        key={ring.dropped + index}
        className={classes.filter(Boolean).join(' ')}
        data-index={index}
        style={{ transform: `translateY(${index * LINE_HEIGHT}px)` }}
      >
        <LogLineView
          text={text}
          stream={stream}
          ts={ring.tsAt(index)}
          showTimestamp={showTimestamps}
          matcher={matcher}
          tag={tag}
        />
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className="log-viewport"
      role="log"
      aria-label="Log lines"
      aria-live="off"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable to scroll it by keyboard
      tabIndex={0}
      onScroll={onScroll}
    >
      <div className="log-canvas" style={{ height: ring.size * LINE_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}
