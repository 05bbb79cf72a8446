import { difference, without } from './engine-global-setup';

describe('the engine inventory check of the global teardown', () => {
  const before = { images: ['sha256:a', 'sha256:b'], containers: ['c1'], volumes: ['v1'] };

  it('finds nothing when the engine holds what it held before', () => {
    expect(difference(before, { ...before, images: ['sha256:b', 'sha256:a'] })).toBe('');
  });

  it('lists what was left behind and what was removed that the suite never made', () => {
    const after = { images: ['sha256:a', 'sha256:c'], containers: ['c1', 'c2'], volumes: [] };
    const text = difference(before, after);
    expect(text).toContain('1 images left behind: sha256:c');
    expect(text).toContain("1 images that were not the suite's are gone: sha256:b");
    expect(text).toContain('1 containers left behind: c2');
    expect(text).toContain("1 volumes that were not the suite's are gone: v1");
  });
});

describe('objects of another test run running at the same time', () => {
  it('are neither leftovers nor losses of this run, while unlabelled objects still count', () => {
    const before = { images: ['sha256:a', 'sha256:theirs-old'], containers: [], volumes: [] };
    const after = { images: ['sha256:a', 'sha256:theirs-new', 'sha256:unlabelled'], containers: [], volumes: [] };
    const others = { images: ['sha256:theirs-old', 'sha256:theirs-new'], containers: [], volumes: [] };
    const text = difference(without(before, others), without(after, others));
    expect(text).toBe('1 images left behind: sha256:unlabelled');
  });
});
