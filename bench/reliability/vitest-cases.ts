/**
 * Runs one vitest file with the JSON reporter and reads back every case: its name and whether it passed.
 * Used for the fault tests and the hostile-input suite, so RELIABILITY.md counts what really ran.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CaseResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  failure?: string;
}

interface JsonReport {
  testResults: {
    assertionResults: {
      ancestorTitles: string[];
      title: string;
      status: string;
      duration?: number;
      failureMessages?: string[];
    }[];
  }[];
}

/** Runs `file` in `project` (no lock is taken here: the caller holds the engine lock). */
export function runVitestCases(
  file: string,
  project: string,
  env: Record<string, string> = {},
): { cases: CaseResult[]; exitCode: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-vitest-json-'));
  const out = join(dir, 'report.json');
  try {
    const result = spawnSync(
      'npx',
      ['vitest', 'run', '--project', project, file, '--reporter=json', `--outputFile=${out}`],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env }, timeout: 60 * 60_000 },
    );
    if (!existsSync(out)) return { cases: [], exitCode: result.status };
    const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    const cases = report.testResults.flatMap((file) =>
      file.assertionResults.map((a) => ({
        name: [...a.ancestorTitles, a.title].join(' › '),
        status:
          a.status === 'passed'
            ? ('passed' as const)
            : a.status === 'failed'
              ? ('failed' as const)
              : ('skipped' as const),
        ms: Math.round(a.duration ?? 0),
        ...(a.failureMessages?.length && { failure: a.failureMessages[0]!.split('\n')[0]!.slice(0, 300) }),
      })),
    );
    return { cases, exitCode: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
