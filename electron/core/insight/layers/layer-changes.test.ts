import { layerChanges } from './layer-changes';
import { listingOf as listing } from './test/generated-image';

const changesOf = (layer: ReturnType<typeof layerChanges>['layers'][number]) =>
  Object.fromEntries(layer.paths.map((p, i) => [p, `${layer.changes[i]}${layer.sizes[i]}`]));

describe('what each layer changes, and what it wastes', () => {
  it('counts only superseded copies as waste, never the copy that stays (dive #684 counts both)', () => {
    // app.js is written in layer 0 and rewritten in layer 1. Only layer 0's 1,000 bytes are hidden for good;
    // the 1,200 bytes of layer 1 are what the image uses. dive adds every copy of a duplicated path (2,200).
    const image = layerChanges([listing([['app.js', 1000]]), listing([['app.js', 1200]])]);
    expect(image.wastedBytes).toBe(1000);
    expect(image.size).toBe(2200);
    expect(image.efficiency).toBeCloseTo(1 - 1000 / 2200);
    expect(image.wasted).toEqual([{ path: 'app.js', copies: 1, bytes: 1000 }]);
    expect(image.layers.map((l) => l.wastedBytes)).toEqual([1000, 0]);
    expect(changesOf(image.layers[1]!)).toEqual({ 'app.js': 'm1200' });
  });

  it('finds no waste in a file present once, however big', () => {
    const image = layerChanges([listing([['big.bin', 5_000_000]]), listing([['other', 10]])]);
    expect(image.wastedBytes).toBe(0);
    expect(image.efficiency).toBe(1);
    expect(image.files).toBe(2);
  });

  it('counts each superseded copy once when a file is written three times', () => {
    const image = layerChanges([listing([['f', 10]]), listing([['f', 20]]), listing([['f', 30]])]);
    expect(image.wastedBytes).toBe(30);
    expect(image.wasted).toEqual([{ path: 'f', copies: 2, bytes: 30 }]);
  });

  it('deletes a file and a whole directory with whiteouts, wasting what they hide', () => {
    const image = layerChanges([
      listing([
        ['etc/', 0],
        ['etc/a', 5],
        ['cache/', 0],
        ['cache/x', 100],
        ['cache/sub/', 0],
        ['cache/sub/y', 50],
      ]),
      listing([
        ['etc/', 0],
        ['etc/.wh.a', 0],
        ['.wh.cache', 0],
      ]),
    ]);
    expect(changesOf(image.layers[1]!)).toEqual({ etc: 'm0', 'etc/a': 'd5', cache: 'd150' });
    expect(image.layers[1]!.deleted).toBe(2);
    expect(image.wastedBytes).toBe(155);
    expect(image.files).toBe(1); // etc
  });

  it('hides everything below an opaque directory, but keeps what the same layer puts in it', () => {
    const image = layerChanges([
      listing([
        ['data/', 0],
        ['data/old', 40],
        ['data/keep', 2],
      ]),
      listing([
        ['data/', 0],
        ['data/new', 7],
        ['data/.wh..wh..opq', 0],
      ]),
    ]);
    expect(changesOf(image.layers[1]!)).toEqual({ data: 'm0', 'data/new': 'a7' });
    expect(image.layers[1]!.changes).toContain('o');
    expect(image.layers[1]!.sizes[image.layers[1]!.changes.indexOf('o')]).toBe(42);
    expect(image.wastedBytes).toBe(42);
    expect(image.files).toBe(2); // data, data/new
  });

  it('replaces a directory by a file: the directory and its contents are superseded', () => {
    const image = layerChanges([
      listing([
        ['x/', 0],
        ['x/a', 3],
        ['x/b', 4],
      ]),
      listing([['x', 9]]),
    ]);
    expect(changesOf(image.layers[1]!)).toEqual({ x: 'm9' });
    expect(image.wastedBytes).toBe(7);
  });

  it('restores a deleted path as added, not modified', () => {
    const image = layerChanges([listing([['a', 1]]), listing([['.wh.a', 0]]), listing([['a', 2]])]);
    expect(changesOf(image.layers[2]!)).toEqual({ a: 'a2' });
    expect(image.wastedBytes).toBe(1);
  });
});
