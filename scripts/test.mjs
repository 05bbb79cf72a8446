// `npm test`: the whole suite in two lanes at once, because the engine lane is one file at a time (dockerd
// 20.10's BuildKit panics when identical builds overlap) and spends most of its time waiting on dockerd,
// while the fast lane (unit and renderer: no engine) only needs a core. Run one after the other, the fast
// lane added two to three minutes to every run; beside the engine lane it costs almost nothing.
//
//   fast lane    vitest run --project unit --project renderer   (its output is printed when it ends)
//   engine lane  vitest run --project engine --project e2e      (streamed; e2e after engine, by groupOrder)
//
// With arguments (`npm test -- path/to/file.test.ts`), it is plain `vitest run <arguments>`.
// The exit code is the first lane's failure, or 0 when both pass.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const args = process.argv.slice(2);

/** Runs vitest with `argv`, writing to `out` (a file descriptor, or 'inherit'); resolves with its exit code. */
function lane(argv, out) {
  return new Promise((resolve) => {
    const child = spawn(vitest, ['run', ...argv], { cwd: root, stdio: ['ignore', out, out] });
    const stop = (signal) => child.kill(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('error', (error) => {
      console.error(`[test] could not start vitest: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

if (args.length > 0) {
  process.exit(await lane(args, 'inherit'));
}

const dir = mkdtempSync(join(tmpdir(), 'berth-test-'));
const fastLog = join(dir, 'fast.log');
const started = Date.now();
const fast = lane(['--project', 'unit', '--project', 'renderer'], openSync(fastLog, 'w')).then((code) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\n[test] ===== fast lane (unit, renderer): ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s =====`);
  process.stdout.write(readFileSync(fastLog));
  console.log('[test] ===== end of the fast lane =====\n');
  return code;
});
const engine = lane(['--project', 'engine', '--project', 'e2e'], 'inherit');
const [fastCode, engineCode] = await Promise.all([fast, engine]);
rmSync(dir, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `[test] fast lane ${fastCode === 0 ? 'passed' : `FAILED (exit ${fastCode})`}; ` +
    `engine lane ${engineCode === 0 ? 'passed' : `FAILED (exit ${engineCode})`}; ${seconds} s in all`,
);
process.exit(fastCode !== 0 ? fastCode : engineCode);
