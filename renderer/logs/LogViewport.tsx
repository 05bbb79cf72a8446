import { useVirtualizer } from '@tanstack/react-virtual';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';
import { LogLineView } from './LogLineView';
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
}

/** Only the lines on screen are in the DOM, so a 200k-line ring scrolls as fast as a 20-line one. */
export function LogViewport({
  ring,
  version,
  matcher,
  showTimestamps,
  follow,
  onUserScrollUp,
  currentMatch,
  handle,
}: LogViewportProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ring.size,
    getScrollElement: () => scroller.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
  });

  useImperativeHandle(
    handle,
    () => ({ scrollToLine: (index) => virtualizer.scrollToIndex(index, { align: 'center' }) }),
    [virtualizer],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version says the ring changed
  useEffect(() => {
    if (follow && ring.size > 0) virtualizer.scrollToIndex(ring.size - 1, { align: 'end' });
  }, [follow, version, ring, virtualizer]);

  // Only a move upwards is the user leaving the end: while following a fast stream the list grows
  // between the batch arriving and the follow effect scrolling, which leaves the view briefly far from
  // the bottom without anyone having scrolled.
  const lastScrollTop = useRef(0);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const movedUp = el.scrollTop < lastScrollTop.current;
    lastScrollTop.current = el.scrollTop;
    if (follow && movedUp && el.scrollHeight - el.scrollTop - el.clientHeight > LINE_HEIGHT * 3) onUserScrollUp();
  };

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
      <div className="log-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = ring.at(item.index);
          if (!line) return null;
          const classes = [
            'log-line',
            line.stream === 'stderr' ? 'log-stderr' : '',
            item.index === currentMatch ? 'log-current' : '',
          ];
          return (
            <div
              key={item.key}
              className={classes.filter(Boolean).join(' ')}
              data-index={item.index}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <LogLineView line={line} showTimestamp={showTimestamps} matcher={matcher} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
