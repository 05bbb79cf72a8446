import { JsonLines, parseJsonObject } from './json-lines';

const LINES = [
  '{"status":"start","id":"a","time":1}',
  '{"stream":"Step 1/2 : FROM node"}',
  '{"Type":"container","Action":"rename","Actor":{"ID":"x","Attributes":{"name":"café-☕"}},"time":1}',
  '{"aux":{"ID":"sha256:abc"}}',
];
const bytes = new TextEncoder().encode(`${LINES.join('\n')}\n`);
const expected = LINES.map((l) => JSON.parse(l));

describe('JsonLines', () => {
  it('yields the same objects whatever the chunk boundaries, including inside a UTF-8 character', () => {
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const lines = new JsonLines();
      const got = [...lines.push(bytes.subarray(0, cut)), ...lines.push(bytes.subarray(cut)), ...lines.end()];
      expect(got).toEqual(expected);
    }
  });

  it('yields the same objects when fed one byte at a time', () => {
    const lines = new JsonLines();
    const got = [];
    for (let i = 0; i < bytes.length; i += 1) got.push(...lines.push(bytes.subarray(i, i + 1)));
    expect([...got, ...lines.end()]).toEqual(expected);
  });

  it('keeps an unfinished line until its newline arrives, or the stream ends', () => {
    const lines = new JsonLines();
    expect(lines.push('{"status":"Prep')).toEqual([]);
    expect(lines.push('aring","id":"a"}\n{"status":"Pus')).toEqual([{ status: 'Preparing', id: 'a' }]);
    expect(lines.push('hing"}')).toEqual([]);
    expect(lines.end()).toEqual([{ status: 'Pushing' }]);
  });

  it('skips CRLF, blank keep-alive lines, non-JSON and JSON that is not an object', () => {
    expect(new JsonLines().push('\r\n\n{"a":1}\r\nnot json\n[1]\nnull\n"text"\n{"b":2}\n')).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });

  it('drops a line longer than the limit whole, keeps memory bounded, and goes on with the next', () => {
    const lines = new JsonLines(64);
    const long = `{"x":"${'y'.repeat(200)}"}`;
    const got = [];
    for (let at = 0; at < long.length; at += 10) got.push(...lines.push(long.slice(at, at + 10)));
    got.push(...lines.push('\n{"ok":true}\n'));
    expect(got).toEqual([{ ok: true }]);
    expect(lines.dropped).toBe(1);
  });

  it('forgets a half-received line on reset', () => {
    const lines = new JsonLines();
    lines.push('{"half":');
    lines.reset();
    expect(lines.push('{"whole":1}\n')).toEqual([{ whole: 1 }]);
  });

  it('parseJsonObject reads one line', () => {
    expect(parseJsonObject(' {"a":1} ')).toEqual({ a: 1 });
    expect(parseJsonObject('')).toBeNull();
    expect(parseJsonObject('[]')).toBeNull();
  });
});
