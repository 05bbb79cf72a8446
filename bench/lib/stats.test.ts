import { formatSpread, pairedRatios, rateOf, ratioOf, scaled, spread } from './stats';

describe('spread', () => {
  it('gives min, median and max of unsorted runs', () => {
    expect(spread([30, 10, 20, 40])).toEqual({ n: 4, min: 10, median: 25, max: 40 });
    expect(spread([7])).toEqual({ n: 1, min: 7, median: 7, max: 7 });
  });

  it('refuses no runs and values that are not measurements', () => {
    expect(() => spread([])).toThrow(/no values/);
    expect(() => spread([1, Number.NaN])).toThrow(/not a finite/);
    expect(() => spread([1, Number.POSITIVE_INFINITY])).toThrow(/not a finite/);
  });
});

describe('pairedRatios', () => {
  it('divides each run by its partner, not the medians by each other', () => {
    // medians 2 and 2 would say 1.00; the pairs say 0.5, 1 and 4
    expect(pairedRatios([1, 2, 4], [2, 2, 1])).toEqual({ n: 3, min: 0.5, median: 1, max: 4 });
  });

  it('refuses unpaired runs', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/unpaired/);
  });
});

describe('derived spreads', () => {
  it('scales, divides statistic by statistic, and turns durations into rates with min and max swapped', () => {
    const s = { n: 3, min: 1000, median: 2000, max: 4000 };
    expect(scaled(s, 1 / 1000)).toEqual({ n: 3, min: 1, median: 2, max: 4 });
    expect(ratioOf(s, { n: 5, min: 500, median: 1000, max: 1000 })).toEqual({ n: 3, min: 2, median: 2, max: 4 });
    expect(rateOf(100, s)).toEqual({ n: 3, min: 25, median: 50, max: 100 });
  });

  it('formats as min / median / max with one unit', () => {
    expect(formatSpread({ n: 3, min: 1, median: 1.5, max: 12345.678 }, 2, 's')).toBe('1.00 / 1.50 / 12,345.68 s');
    expect(formatSpread({ n: 1, min: 3, median: 3, max: 3 })).toBe('3 / 3 / 3');
  });
});
