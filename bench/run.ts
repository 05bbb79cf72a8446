/**
 * `npm run bench`: every benchmark in turn, each in its own process holding the shared engine lock only while it
 * runs (other engine work can go between them). Each one checks that both sides did the same work, writes its
 * own section of BENCHMARKS.md and its rows of the README's table, and removes what it labelled.
 *
 *   npm run bench                 all of them
 *   npm run bench -- logs events  only those named
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHMARKS = [
  'service',
  'build',
  'logs',
  'events',
  'dashboard',
  'logs-e2e',
  'logs-merged',
  'layers',
  'layers-big',
];
const LOCK = '/tmp/berth-engine.lock';
const ROOT = join(import.meta.dirname, '..');

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${BENCHMARKS.join(', ')}.`);
  process.exit(2);
}
const chosen = asked.length ? asked : BENCHMARKS;
const failed: string[] = [];
for (const name of chosen) {
  console.log(`\n[bench] ${name}: waiting for ${LOCK}, then npx tsx bench/${name}.ts`);
  const started = performance.now();
  const result = spawnSync('flock', [LOCK, 'npx', 'tsx', join('bench', `${name}.ts`)], { cwd: ROOT, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (result.status === 0) console.log(`[bench] ${name}: done in ${seconds} s`);
  else {
    failed.push(name);
    console.error(
      `[bench] ${name}: FAILED (exit ${result.status ?? result.signal}) after ${seconds} s; its section was not rewritten`,
    );
  }
}
if (failed.length) {
  console.error(`\n[bench] failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\n[bench] all ${chosen.length} benchmarks written to BENCHMARKS.md and the README table`);
