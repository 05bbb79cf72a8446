import { mapLimited } from './map-limited';

describe('mapLimited', () => {
  it('keeps the items order and never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await mapLimited(items, 3, async (n, i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Later items finish first, so order comes from the index, not from completion.
      await new Promise((r) => setTimeout(r, 20 - n));
      inFlight -= 1;
      return `${n}:${i}`;
    });
    expect(results).toEqual(items.map((n) => `${n}:${n}`));
    expect(most).toBe(3);
  });

  it('answers an empty list without calling fn', async () => {
    expect(await mapLimited([], 8, () => Promise.reject(new Error('called')))).toEqual([]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapLimited([1, 2], 2, (n) => (n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n))),
    ).rejects.toThrow('two');
  });
});
