import { type DiffableImage, diffImages } from './image-diff';
import { layerChanges } from './layer-changes';
import { listingOf as listing } from './test/generated-image';

function image(
  id: string,
  layers: Array<{ diffId: string; entries: Array<[string, number, string?]> }>,
): DiffableImage {
  const changes = layerChanges(layers.map((l) => listing(l.entries)));
  return {
    imageId: id,
    size: changes.size,
    layers: layers.map((l, i) => ({ diffId: l.diffId, instruction: `RUN ${i}`, changes: changes.layers[i]! })),
  };
}

describe('diffing two images layer by layer', () => {
  const base = {
    diffId: 'sha256:base',
    entries: [
      ['bin/', 0],
      ['bin/sh', 100, 'aa'],
    ] as Array<[string, number, string?]>,
  };

  it('finds the shared bottom and the files that changed inside the first differing layer', () => {
    const from = image('old', [
      base,
      {
        diffId: 'sha256:app1',
        entries: [
          ['app/', 0],
          ['app/a.js', 10, 'x1'],
          ['app/b.js', 5, 'b1'],
          ['app/gone', 3, 'g'],
        ],
      },
    ]);
    const to = image('new', [
      base,
      {
        diffId: 'sha256:app2',
        entries: [
          ['app/', 0],
          ['app/a.js', 10, 'x2'],
          ['app/b.js', 5, 'b1'],
          ['app/new', 8, 'n'],
        ],
      },
    ]);
    const diff = diffImages(from, to);
    expect(diff.sharedLayers).toBe(1);
    expect(diff.layers.map((l) => l.same)).toEqual([true, false]);
    const files = diff.layers[1]!.files;
    const byPath = Object.fromEntries(
      files.paths.map((p, i) => [p, `${files.changes[i]} ${files.fromSizes[i]}→${files.toSizes[i]}`]),
    );
    // a.js has the same size but another content digest; b.js is identical and not listed
    expect(byPath).toEqual({ 'app/a.js': 'm 10→10', 'app/gone': 'r 3→0', 'app/new': 'a 0→8' });
  });

  it('lists a layer only one image has, with all its files', () => {
    const diff = diffImages(image('a', [base]), image('b', [base, { diffId: 'sha256:x', entries: [['x', 1, 'q']] }]));
    expect(diff.layers[1]).toMatchObject({ from: null, to: { diffId: 'sha256:x' }, same: false });
    expect(diff.layers[1]!.files.paths).toEqual(['x']);
  });
});
