/**
 * Dockerfile variables as both builders read them: `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alternative}`,
 * with `\$` (or the escape character) keeping a dollar literal; and the words of ENV and ARG instructions. Pure.
 */

const REFERENCE = /(\\|`)?\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** The names an instruction's text refers to, each once, in order (the ones inside `${A:-$B}` too). */
export function referencedNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(REFERENCE)) {
    if (match[1]) continue;
    names.add((match[2] ?? match[5])!);
    for (const inner of match[4] ? referencedNames(match[4]) : []) names.add(inner);
  }
  return [...names];
}

/** The text with the variables replaced by their values (an unset variable becomes empty, as the builders do). */
export function expand(text: string, values: ReadonlyMap<string, string | null>): string {
  return text.replace(REFERENCE, (whole, escaped: string | undefined, braced, op, word, bare) => {
    if (escaped) return whole.slice(1);
    const name = (braced ?? bare) as string;
    const current = values.get(name) ?? null;
    if (op === '-') return current === null || current === '' ? expand(word ?? '', values) : current;
    if (op === '+') return current === null || current === '' ? '' : expand(word ?? '', values);
    return current ?? '';
  });
}

/**
 * The words of an instruction's arguments, split on blanks outside quotes, quotes removed, backslash escapes
 * kept as the character. `ENV A="two words" B=1` gives `A=two words`, `B=1`.
 */
export function words(args: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (c === '\\' && quote !== "'" && i + 1 < args.length) {
      current += args[++i];
      started = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) out.push(current);
  return out;
}

/** `ENV A=1 B=2`, or the old form `ENV A 1 2` (one name, the rest its value). Values not yet expanded. */
export function envPairs(args: string): Array<[string, string]> {
  const list = words(args);
  if (list.length === 0) return [];
  if (!list[0]!.includes('=')) {
    return [
      [
        list[0]!,
        args
          .trim()
          .slice(args.trim().indexOf(list[0]!) + list[0]!.length)
          .trim(),
      ],
    ];
  }
  return list.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]);
}

/** `ARG A` or `ARG A=1 B`: each name with its default (null when none). */
export function argPairs(args: string): Array<[string, string | null]> {
  return words(args).map((w) =>
    w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, null],
  );
}
