import { fireEvent, render, screen } from '@testing-library/react';
import type { LogLine } from '../../electron/contract';
import { LogViewport } from './LogViewport';
import { LogRing } from './log-ring';

const lines = (count: number): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({ stream: 'stdout', text: `line ${i}` }));

/** Puts the log viewport at `scrollTop` in a list `scrollHeight` tall, as a browser would, and says so. */
function scrollTo(viewport: HTMLElement, scrollTop: number, scrollHeight: number): void {
  Object.defineProperty(viewport, 'scrollHeight', { configurable: true, value: scrollHeight });
  Object.defineProperty(viewport, 'clientHeight', { configurable: true, value: 600 });
  viewport.scrollTop = scrollTop;
  fireEvent.scroll(viewport);
}

function renderFollowing(onUserScrollUp: () => void): HTMLElement {
  const ring = new LogRing(1000);
  ring.append(lines(500));
  render(
    <LogViewport
      ring={ring}
      version={1}
      matcher={null}
      showTimestamps={false}
      follow
      onUserScrollUp={onUserScrollUp}
      currentMatch={null}
      handle={null}
    />,
  );
  return screen.getByRole('log', { name: 'Log lines' });
}

describe('LogViewport following a stream', () => {
  it('keeps following when the list grows faster than it scrolls to the end', () => {
    const onUserScrollUp = vi.fn();
    const viewport = renderFollowing(onUserScrollUp);
    // A batch made the list 4,000 px taller; the follow effect then scrolls down, still short of the end.
    scrollTo(viewport, 5_000, 10_000);
    scrollTo(viewport, 8_000, 14_000);
    expect(onUserScrollUp).not.toHaveBeenCalled();
  });

  it('stops following when the user scrolls up away from the end', () => {
    const onUserScrollUp = vi.fn();
    const viewport = renderFollowing(onUserScrollUp);
    scrollTo(viewport, 9_400, 10_000);
    scrollTo(viewport, 6_000, 10_000);
    expect(onUserScrollUp).toHaveBeenCalledTimes(1);
  });
});
