import { supportsBuildkit } from './builder-support';

describe('whether an engine can run BuildKit builds', () => {
  it.each([
    ['1.41', 'linux', true],
    ['1.39', 'linux', true],
    ['1.38', 'linux', false],
    ['1.45', 'windows', false],
    ['1.45', undefined, false],
    ['2.0', 'linux', true],
    [undefined, 'linux', false],
  ])('API %s on %s → %s', (api, os, expected) => {
    expect(supportsBuildkit(api, os)).toBe(expected);
  });
});
