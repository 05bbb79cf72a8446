export type SearchMode = 'text' | 'regex';

export type Matcher = { ok: true; find: (text: string) => [number, number][] } | { ok: false; error: string };

/** Build a matcher for the search box; an invalid regex is reported, never thrown. */
export function makeMatcher(query: string, mode: SearchMode, caseSensitive = false): Matcher | null {
  if (!query) return null;
  if (mode === 'text') {
    const needle = caseSensitive ? query : query.toLowerCase();
    return {
      ok: true,
      find: (text) => {
        const hay = caseSensitive ? text : text.toLowerCase();
        const ranges: [number, number][] = [];
        for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
          ranges.push([at, at + needle.length]);
        }
        return ranges;
      },
    };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(query, caseSensitive ? 'g' : 'gi');
  } catch (error) {
    return { ok: false, error: `Invalid regular expression: ${(error as Error).message}` };
  }
  return {
    ok: true,
    find: (text) => {
      const ranges: [number, number][] = [];
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m; m = regex.exec(text)) {
        if (m[0].length === 0) {
          regex.lastIndex++; // an empty match would loop forever; step past it and mark nothing
          continue;
        }
        ranges.push([m.index, m.index + m[0].length]);
      }
      return ranges;
    },
  };
}

export interface Piece {
  text: string;
  className: string;
  match: boolean;
}

/** Cut styled segments at match boundaries so matches can be wrapped in <mark> without losing colour. */
export function splitByRanges(segments: { text: string; className: string }[], ranges: [number, number][]): Piece[] {
  if (ranges.length === 0) return segments.map((s) => ({ ...s, match: false }));
  const pieces: Piece[] = [];
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    let local = 0;
    const end = offset + segment.text.length;
    while (local < segment.text.length) {
      const at = offset + local;
      while (r < ranges.length && ranges[r]![1] <= at) r++;
      const range = ranges[r];
      if (range && range[0] <= at) {
        const stop = Math.min(range[1], end) - offset;
        pieces.push({ text: segment.text.slice(local, stop), className: segment.className, match: true });
        local = stop;
      } else {
        const stop = (range ? Math.min(range[0], end) : end) - offset;
        pieces.push({ text: segment.text.slice(local, stop), className: segment.className, match: false });
        local = stop;
      }
    }
    offset = end;
  }
  return pieces;
}
