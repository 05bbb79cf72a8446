/**
 * A unified diff of two texts, line by line (longest common subsequence), with three lines of context: what
 * the advice panel shows before a fix is written. Dockerfiles are small, so the quadratic table is fine.
 */
const CONTEXT_LINES = 3;

type Op = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };

function lines(text: string): string[] {
  if (text === '') return [];
  const split = text.split('\n');
  if (split.at(-1) === '') split.pop();
  return split;
}

function operations(before: string[], after: string[]): Op[] {
  const n = before.length;
  const m = after.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i]![j] =
        before[i] === after[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      ops.push({ kind: ' ', text: before[i]!, oldLine: i++, newLine: j++ });
    } else if (i < n && (j === m || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      // Removals before additions, as diff(1) shows a changed line.
      ops.push({ kind: '-', text: before[i]!, oldLine: i++, newLine: j });
    } else {
      ops.push({ kind: '+', text: after[j]!, oldLine: i, newLine: j++ });
    }
  }
  return ops;
}

/** `--- a/<path>` / `+++ b/<path>` and the hunks; an empty string when the texts are the same. */
export function unifiedDiff(path: string, before: string | null, after: string): string {
  const ops = operations(lines(before ?? ''), lines(after));
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  if (changed.length === 0) return '';
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - CONTEXT_LINES);
    const end = Math.min(ops.length - 1, index + CONTEXT_LINES);
    const last = hunks.at(-1);
    if (last && start <= last[1] + 1) last[1] = end;
    else hunks.push([start, end]);
  }
  const out = [before === null ? '--- /dev/null' : `--- a/${path}`, `+++ b/${path}`];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end + 1);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? slice[0]!.oldLine : slice[0]!.oldLine + 1;
    const newStart = newCount === 0 ? slice[0]!.newLine : slice[0]!.newLine + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.text}`);
  }
  return `${out.join('\n')}\n`;
}
