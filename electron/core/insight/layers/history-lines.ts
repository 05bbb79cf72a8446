/**
 * History entries to Dockerfile lines, for an image made by a recorded Berth build. The image's history ends
 * with the final stage's instructions (FROM gives none; the base image's entries come below), so both lists
 * are walked from the top down. An entry takes the nearest unmatched step with the same instruction text;
 * failing that, the nearest with the same keyword (the legacy builder writes `COPY file:<hash> in /app`
 * where the Dockerfile says `COPY . /app`). Steps that leave no history (ARG under BuildKit) are skipped.
 */

export interface RecordedStep {
  index: number;
  stage: string | null;
  instruction: string;
  line: number | null;
}

/** How far below the last match a step may be and still be matched (steps without history in between). */
const WINDOW = 3;

const normal = (text: string) => text.trim().replace(/\s+/g, ' ');
const keyword = (text: string) => (/^\S+/.exec(text.trim())?.[0] ?? '').toUpperCase();

/**
 * The Dockerfile line of each history entry (bottom first, as `instructions`); null where no step matches,
 * such as the base image's entries.
 */
export function historyLines(instructions: readonly string[], steps: readonly RecordedStep[]): Array<number | null> {
  const ordered = [...steps].sort((a, b) => a.index - b.index);
  const finalStage = ordered.at(-1)?.stage ?? null;
  const candidates = ordered.filter((s) => s.stage === finalStage && keyword(s.instruction) !== 'FROM');
  const lines: Array<number | null> = instructions.map(() => null);
  let next = candidates.length - 1;
  for (let h = instructions.length - 1; h >= 0 && next >= 0; h -= 1) {
    const text = normal(instructions[h] ?? '');
    if (!text) continue;
    const window = candidates.slice(Math.max(0, next - WINDOW + 1), next + 1).reverse();
    let found = window.findIndex((s) => normal(s.instruction) === text);
    if (found < 0) found = window.findIndex((s) => keyword(s.instruction) === keyword(text));
    if (found < 0) continue;
    lines[h] = window[found]!.line;
    next -= found + 1;
  }
  return lines;
}
