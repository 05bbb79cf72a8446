import type { LogLine } from '../../electron/contract';
import { LogRing } from './log-ring';
import { makeMatcher } from './log-search';
import { MatchIndex } from './match-index';

const line = (text: string): LogLine => ({ stream: 'stdout', text });

describe('MatchIndex', () => {
  it('finds matches, then only scans new lines on append', () => {
    const ring = new LogRing(100);
    const matcher = makeMatcher('err', 'text');
    const index = new MatchIndex();
    ring.append([line('ok'), line('ERR one'), line('ok')]);
    index.update(ring, matcher);
    expect(index.count).toBe(1);
    expect(index.seqAt(0)).toBe(1);

    let scans = 0;
    const counting = matcher?.ok
      ? {
          ok: true as const,
          find: (t: string) => {
            scans++;
            return matcher.find(t);
          },
        }
      : null;
    index.update(ring, counting);
    scans = 0;
    ring.append([line('\x1b[31merr\x1b[0m two'), line('fine')]);
    index.update(ring, counting);
    expect(scans).toBe(2);
    expect(index.count).toBe(2);
    expect(index.seqAt(1)).toBe(3);
  });

  it('forgets matches that the ring dropped and keeps sequence numbers stable', () => {
    const ring = new LogRing(3);
    const index = new MatchIndex();
    const matcher = makeMatcher('x', 'text');
    ring.append([line('x0'), line('a'), line('x2')]);
    index.update(ring, matcher);
    expect(index.count).toBe(2);
    ring.append([line('b'), line('x4')]);
    index.update(ring, matcher);
    expect([index.seqAt(0), index.seqAt(1)]).toEqual([2, 4]);
    expect(ring.at(index.seqAt(0)! - ring.dropped)?.text).toBe('x2');
  });

  it('steps forward and back with wrap-around', () => {
    const ring = new LogRing(10);
    const index = new MatchIndex();
    ring.append([line('x'), line('a'), line('x'), line('x')]);
    index.update(ring, makeMatcher('x', 'text'));
    expect(index.step(null, 1)).toBe(0);
    expect(index.step(0, 1)).toBe(2);
    expect(index.step(3, 1)).toBe(0);
    expect(index.step(0, -1)).toBe(3);
    expect(index.step(null, -1)).toBe(3);
  });

  it('starts again after a clear or a new query', () => {
    const ring = new LogRing(10);
    const index = new MatchIndex();
    ring.append([line('x'), line('y')]);
    index.update(ring, makeMatcher('x', 'text'));
    index.update(ring, makeMatcher('y', 'text'));
    expect(index.seqAt(0)).toBe(1);
    ring.clear();
    const matcher = makeMatcher('z', 'text');
    index.update(ring, matcher);
    ring.append([line('z')]);
    index.update(ring, matcher);
    expect(index.count).toBe(1);
    expect(index.seqAt(0)).toBe(0);
  });
});
