/**
 * A small ANSI SGR parser: text with colour escapes → segments that carry CSS class names.
 * Non-SGR control sequences (cursor moves, erase line, OSC titles) are dropped. No HTML is produced.
 */

export interface AnsiStyle {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface AnsiSegment {
  text: string;
  /** Space-separated class names, e.g. "ansi-fg-red ansi-bold"; empty for plain text. */
  className: string;
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

export const plainStyle = (): AnsiStyle => ({
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
});

/** One of the 16 named colours for an xterm 256-colour index (the cube and greys are approximated). */
export function colour256(n: number): string {
  if (n < 8) return NAMES[n]!;
  if (n < 16) return `bright-${NAMES[n - 8]}`;
  if (n >= 232) return n < 244 ? 'bright-black' : 'white';
  const c = n - 16;
  return rgbName(Math.floor(c / 36) * 51, (Math.floor(c / 6) % 6) * 51, (c % 6) * 51);
}

/** Nearest named colour for a 24-bit colour: each channel is on or off, brightness picks the bright variant. */
export function rgbName(r: number, g: number, b: number): string {
  const max = Math.max(r, g, b);
  if (max < 64) return 'black';
  const on = (v: number) => (v >= max / 2 ? 1 : 0);
  const index = on(r) + on(g) * 2 + on(b) * 4;
  const name = NAMES[index]!;
  return max > 200 && index !== 0 ? `bright-${name}` : name;
}

function applySgr(style: AnsiStyle, params: number[]): void {
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) Object.assign(style, plainStyle());
    else if (p === 1) style.bold = true;
    else if (p === 2) style.dim = true;
    else if (p === 3) style.italic = true;
    else if (p === 4) style.underline = true;
    else if (p === 7) style.inverse = true;
    else if (p === 22) style.bold = style.dim = false;
    else if (p === 23) style.italic = false;
    else if (p === 24) style.underline = false;
    else if (p === 27) style.inverse = false;
    else if (p >= 30 && p <= 37) style.fg = NAMES[p - 30]!;
    else if (p >= 90 && p <= 97) style.fg = `bright-${NAMES[p - 90]}`;
    else if (p === 39) style.fg = null;
    else if (p >= 40 && p <= 47) style.bg = NAMES[p - 40]!;
    else if (p >= 100 && p <= 107) style.bg = `bright-${NAMES[p - 100]}`;
    else if (p === 49) style.bg = null;
    else if (p === 38 || p === 48) {
      const mode = params[i + 1];
      let colour: string | null = null;
      if (mode === 5 && params[i + 2] !== undefined) {
        colour = colour256(params[i + 2]!);
        i += 2;
      } else if (mode === 2 && params[i + 4] !== undefined) {
        colour = rgbName(params[i + 2]!, params[i + 3]!, params[i + 4]!);
        i += 4;
      } else {
        i = params.length; // malformed: ignore the rest
      }
      if (p === 38) style.fg = colour;
      else style.bg = colour;
    }
  }
}

function classOf(style: AnsiStyle): string {
  const fg = style.inverse ? (style.bg ?? 'inverse-fg') : style.fg;
  const bg = style.inverse ? (style.fg ?? 'inverse-bg') : style.bg;
  const classes: string[] = [];
  if (fg) classes.push(`ansi-fg-${fg}`);
  if (bg) classes.push(`ansi-bg-${bg}`);
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  return classes.join(' ');
}

// CSI sequences (ESC [ params final), OSC sequences (ESC ] ... BEL or ST), and other two-byte escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ESCAPE = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Split one line into styled segments. `style` carries state in and out (for multi-line input). */
export function parseAnsi(text: string, style: AnsiStyle = plainStyle()): AnsiSegment[] {
  const segments: AnsiSegment[] = [];
  if (!text.includes('\x1b')) return text ? [{ text, className: classOf(style) }] : [];
  let last = 0;
  const push = (part: string) => {
    if (!part) return;
    const className = classOf(style);
    const previous = segments[segments.length - 1];
    if (previous && previous.className === className) previous.text += part;
    else segments.push({ text: part, className });
  };
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match; match = ESCAPE.exec(text)) {
    push(text.slice(last, match.index));
    last = ESCAPE.lastIndex;
    if (match[2] === 'm') {
      const params = (match[1] ?? '').split(/[;:]/).map((n) => (n === '' ? 0 : Number(n)));
      applySgr(style, params);
    }
  }
  push(text.slice(last));
  return segments;
}

/** The text without any escape sequences (for search, copy and download). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPE, '') : text;
}
