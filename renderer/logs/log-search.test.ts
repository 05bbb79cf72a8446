import { makeMatcher, splitByRanges } from './log-search';

describe('makeMatcher', () => {
  it('finds every case-insensitive occurrence of plain text', () => {
    const m = makeMatcher('get', 'text');
    expect(m?.ok && m.find('GET /notes get')).toEqual([
      [0, 3],
      [11, 14],
    ]);
  });

  it('treats regex special characters literally in text mode', () => {
    const m = makeMatcher('a.b', 'text');
    expect(m?.ok && m.find('axb a.b')).toEqual([[4, 7]]);
  });

  it('matches regular expressions, skipping empty matches', () => {
    const m = makeMatcher('5\\d{2}', 'regex');
    expect(m?.ok && m.find('status 500 then 503')).toEqual([
      [7, 10],
      [16, 19],
    ]);
    const empty = makeMatcher('x*', 'regex');
    expect(empty?.ok && empty.find('abc')).toEqual([]);
  });

  it('reports an invalid regular expression instead of throwing', () => {
    const m = makeMatcher('([a-', 'regex');
    expect(m).toEqual({ ok: false, error: expect.stringMatching(/^Invalid regular expression/) });
    expect(makeMatcher('', 'regex')).toBeNull();
  });
});

describe('splitByRanges', () => {
  it('cuts styled segments at match edges and keeps their classes', () => {
    const pieces = splitByRanges(
      [
        { text: 'ERR: ', className: 'ansi-fg-red' },
        { text: 'disk full', className: '' },
      ],
      [[3, 9]],
    );
    expect(pieces).toEqual([
      { text: 'ERR', className: 'ansi-fg-red', match: false },
      { text: ': ', className: 'ansi-fg-red', match: true },
      { text: 'disk', className: '', match: true },
      { text: ' full', className: '', match: false },
    ]);
  });
});
