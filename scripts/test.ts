// `npm test`: the whole suite, in lanes that run at the same time (see test/lanes.ts for why each file goes where).
//
//   fast lane        vitest run --project unit --project renderer          (never touches the engine)
//   exclusive lane   vitest run --project engine <EXCLUSIVE_FILES>          (alone on the engine, beside the fast lane)
//   shared lanes     vitest run --project engine [--project e2e] <files>    (once the exclusive lane has ended, all at once)
//
// This process opens the suite once (engine check, base image, what the engine holds), gives each engine lane a
// run id of its own, and after the last lane checks that the engine holds exactly what it held before.
// Each lane's output is kept in a file and printed whole when the lane ends, so lanes never interleave; a status
// line every minute says which lanes still run.
//
// With arguments (`npm test -- path/to/file.test.ts`), it is plain `vitest run <arguments>`.
// The exit code is 1 when any lane failed or the engine was not left as found, else 0.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { planLanes } from '../test/lanes';

const root = join(import.meta.dirname, '..');
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const args = process.argv.slice(2);
const STATUS_EVERY_MS = 60_000;

const children = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exitCode = 1;
  });
}

/** Runs `vitest run argv`, its output to `out` (a file descriptor, or 'inherit'); resolves with its exit code. */
function vitestRun(argv: string[], out: number | 'inherit', env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(vitest, ['run', ...argv], {
      cwd: root,
      stdio: ['ignore', out, out],
      env: { ...process.env, ...env },
    });
    children.add(child);
    child.on('error', (error) => {
      console.error(`[test] could not start vitest: ${error.message}`);
      children.delete(child);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

if (args.length > 0) process.exit(await vitestRun(args, 'inherit'));

// The engine half of the global setup, imported only now: plain `vitest run <args>` must not need the engine.
const { checkEngineAndBase, closeSuite, inventory, LANE_RUN_ENV, newRunId, NODE_IMAGE_ENV, otherRuns } = await import(
  '../test/engine-global-setup'
);

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
const dir = mkdtempSync(join(tmpdir(), 'berth-test-'));
const running = new Set<string>();
const results: { name: string; code: number; seconds: string }[] = [];

/** One lane: its output kept in a file, printed whole when it ends. */
async function lane(name: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const log = join(dir, `${name.replaceAll(' ', '-')}.log`);
  const laneStart = Date.now();
  running.add(name);
  console.log(`[test] ${seconds()} s: ${name} started`);
  const code = await vitestRun(argv, openSync(log, 'w'), env);
  running.delete(name);
  const took = ((Date.now() - laneStart) / 1000).toFixed(0);
  results.push({ name, code, seconds: took });
  console.log(`\n[test] ===== ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${took} s =====`);
  process.stdout.write(readFileSync(log));
  console.log(`[test] ===== end of ${name} =====\n`);
  return code;
}

const status = setInterval(
  () => console.log(`[test] ${seconds()} s: still running: ${[...running].join(', ')}`),
  STATUS_EVERY_MS,
);

let failed = false;
try {
  const listed = spawnSync(vitest, ['list', '--filesOnly', '--json', '--project', 'engine', '--project', 'e2e'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (listed.status !== 0) throw new Error(`vitest list failed:\n${listed.stderr}`);
  const files = (JSON.parse(listed.stdout) as { file: string }[]).map((f) =>
    relative(root, f.file).replaceAll('\\', '/'),
  );
  const plan = planLanes([...new Set(files)]);

  const nodeImage = checkEngineAndBase();
  const exclusiveRun = newRunId();
  const sharedRuns = plan.shared.map(() => newRunId());
  const runIds = [exclusiveRun, ...sharedRuns];
  const before = inventory();
  const othersBefore = otherRuns(runIds);
  const laneEnv = (id: string) => ({ [LANE_RUN_ENV]: id, [NODE_IMAGE_ENV]: nodeImage });
  console.log(
    `[test] ${files.length} engine and e2e files: ${plan.exclusive.length} alone on the engine, then ` +
      `${plan.shared.map((l) => l.length).join(' + ')} in ${plan.shared.length} lanes at once; base image ${nodeImage}`,
  );

  const fast = lane('fast lane (unit, renderer)', ['--project', 'unit', '--project', 'renderer']);
  const engine = (async () => {
    const codes = [await lane('exclusive lane', ['--project', 'engine', ...plan.exclusive], laneEnv(exclusiveRun))];
    codes.push(
      ...(await Promise.all(
        plan.shared.map((files, i) => {
          if (files.length === 0) return 0;
          const projects = files.some((f) => f.startsWith('e2e/')) ? ['--project', 'e2e'] : [];
          return lane(`lane ${i + 1}`, ['--project', 'engine', ...projects, ...files], laneEnv(sharedRuns[i] ?? ''));
        }),
      )),
    );
    return codes;
  })();
  const codes = [await fast, ...(await engine)];
  failed = codes.some((code) => code !== 0);

  const diff = closeSuite({ before, othersBefore, runIds });
  if (diff) {
    failed = true;
    console.error(`[test] ${diff}`);
  }
} catch (error) {
  failed = true;
  console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  clearInterval(status);
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `[test] ${results.map((r) => `${r.name} ${r.code === 0 ? 'passed' : 'FAILED'} (${r.seconds} s)`).join('; ')}; ` +
    `${seconds()} s in all`,
);
process.exit(failed || process.exitCode ? 1 : 0);
