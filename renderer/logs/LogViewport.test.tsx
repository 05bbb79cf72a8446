import { fireEvent, render, screen } from '@testing-library/react';
import { type LogLine, packMergedLines } from '../../electron/contract';
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

describe('LogViewport with a full ring', () => {
  it('keeps each line in its own row as batches push the oldest out, tag included', () => {
    const ring = new LogRing(100);
    const sources = [
      { id: 'a', name: 'web' },
      { id: 'b', name: 'db' },
    ];
    const merged = (from: number, count: number) =>
      packMergedLines(
        Array.from({ length: count }, (_, i) => ({
          stream: 'stdout',
          text: `line ${from + i}`,
          source: (from + i) % 2,
        })),
      );
    ring.appendBatch(merged(0, 100));
    const view = (version: number) => (
      <LogViewport
        ring={ring}
        version={version}
        matcher={null}
        showTimestamps={false}
        follow={false}
        onUserScrollUp={() => undefined}
        currentMatch={null}
        handle={null}
        sources={sources}
      />
    );
    const { rerender } = render(view(1));
    const before = screen.getByText('line 10').closest('.log-line')!;
    expect(before.querySelector('.log-tag')?.textContent).toBe('web');
    ring.appendBatch(merged(100, 5));
    rerender(view(2));
    const after = screen.getByText('line 10').closest('.log-line')!;
    // The same row, moved up by five lines: not a row that used to show another line.
    expect(after).toBe(before);
    expect(after.getAttribute('data-index')).toBe('5');
    expect(after.querySelector('.log-tag')?.textContent).toBe('web');
    expect(screen.queryByText('line 4')).toBeNull();
  });
});
