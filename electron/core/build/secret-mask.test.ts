import { MASKED } from '../../contract';
import { maskStrings, textMasker } from './secret-mask';

describe('secret masking in text', () => {
  it('masks a long value anywhere, a short named one at NAME=value (quoted or not) and a text that is exactly it', () => {
    const mask = textMasker([
      { name: 'API_TOKEN', value: 'ab' },
      { name: 'DB_PASSWORD', value: 'hunter22' },
    ])!;
    expect(mask('RUN |2 API_TOKEN=ab DB_PASSWORD=hunter22 /bin/sh -c make')).toBe(
      `RUN |2 API_TOKEN=${MASKED} DB_PASSWORD=${MASKED} /bin/sh -c make`,
    );
    expect(mask('ENV X="API_TOKEN=ab" Y=\'API_TOKEN=ab\'')).toBe(`ENV X="API_TOKEN=${MASKED}" Y='API_TOKEN=${MASKED}'`);
    expect(mask('API_TOKEN="ab" then API_TOKEN=ab;')).toBe(`API_TOKEN="${MASKED}" then API_TOKEN=${MASKED};`);
    expect(mask('  ab\n')).toBe(`  ${MASKED}\n`);
    // Unrelated text keeps every "ab": inside words, other names, a longer value after the same name.
    const unrelated = 'about a tab: cab lab; MY_API_TOKEN_OLD=ab2 XAPI_TOKEN=ab API_TOKEN=abc $API_TOKEN=ab';
    expect(mask(unrelated)).toBe(unrelated);
    expect(mask('a secret hunter22hunter22')).toBe(`a secret ${MASKED}${MASKED}`);
  });

  it('a short value without a name (a BuildKit secret) is masked only where a text is exactly it', () => {
    const mask = textMasker([{ value: 'x1' }])!;
    expect(mask('x1')).toBe(MASKED);
    expect(mask('x1 and ax1b')).toBe('x1 and ax1b');
  });

  it('walks objects and arrays, and leaves empty or already masked values alone', () => {
    expect(textMasker([{ name: 'KEY', value: '' }, { value: MASKED }])).toBeNull();
    const walked = maskStrings({ a: ['KEY=k', 3, null], b: { c: 'k' } }, [{ name: 'KEY', value: 'k' }]);
    expect(walked).toEqual({ a: [`KEY=${MASKED}`, 3, null], b: { c: MASKED } });
  });
});
