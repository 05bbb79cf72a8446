import { colour256, parseAnsi, rgbName, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('leaves plain text as one unstyled segment', () => {
    expect(parseAnsi('listening on :5000')).toEqual([{ text: 'listening on :5000', className: '' }]);
    expect(parseAnsi('')).toEqual([]);
  });

  it('turns SGR colours and attributes into class names and resets on 0', () => {
    expect(parseAnsi('\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[39m bold')).toEqual([
      { text: 'red', className: 'ansi-fg-red' },
      { text: ' plain ', className: '' },
      { text: 'bold green', className: 'ansi-fg-green ansi-bold' },
      { text: ' bold', className: 'ansi-bold' },
    ]);
  });

  it('handles bright, background, 256-colour and truecolour forms', () => {
    expect(parseAnsi('\x1b[93;44mx')).toEqual([{ text: 'x', className: 'ansi-fg-bright-yellow ansi-bg-blue' }]);
    expect(parseAnsi('\x1b[38;5;196mx')).toEqual([{ text: 'x', className: 'ansi-fg-bright-red' }]);
    expect(parseAnsi('\x1b[48;2;0;0;120mx')).toEqual([{ text: 'x', className: 'ansi-bg-blue' }]);
    expect(colour256(2)).toBe('green');
    expect(colour256(9)).toBe('bright-red');
    expect(rgbName(10, 10, 10)).toBe('black');
  });

  it('treats ESC[m as reset and merges neighbours with the same style', () => {
    expect(parseAnsi('\x1b[36ma\x1b[36mb\x1b[mc')).toEqual([
      { text: 'ab', className: 'ansi-fg-cyan' },
      { text: 'c', className: '' },
    ]);
  });

  it('drops non-SGR control sequences and OSC titles', () => {
    expect(parseAnsi('\x1b[2K\x1b[1Aprogress \x1b]0;title\x07done')).toEqual([
      { text: 'progress done', className: '' },
    ]);
    expect(stripAnsi('\x1b[1;31mERR\x1b[0m boom')).toBe('ERR boom');
  });

  it('carries style across lines when given the same state object', () => {
    const state = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false };
    parseAnsi('\x1b[35mstart', state);
    expect(parseAnsi('continued', state)).toEqual([{ text: 'continued', className: 'ansi-fg-magenta' }]);
  });

  it('survives malformed input without throwing', () => {
    expect(() => parseAnsi('\x1b[38;5mx\x1b[38;2;1mY\x1b[')).not.toThrow();
    expect(stripAnsi('\x1b[38;5mx')).toBe('x');
  });
});
