import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXCLUSIVE_FILES, MEASURED_SECONDS, planLanes, SHARED_LANES, WITH_E2E } from './lanes';

const root = join(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'release', 'out']);

/** Every engine and e2e test file of the repository, as vitest's include globs find them. */
function engineAndE2eFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : engineAndE2eFiles(join(dir, entry.name));
    const path = relative(root, join(dir, entry.name)).replaceAll('\\', '/');
    const wanted = path.endsWith('.engine.test.ts') || (path.startsWith('e2e/') && path.endsWith('.e2e.test.ts'));
    return wanted ? [path] : [];
  });
}

describe('the lanes of npm test (test/lanes.ts)', () => {
  const files = engineAndE2eFiles();
  const plan = planLanes(files);

  it('put every engine and e2e file in exactly one lane', () => {
    const placed = [...plan.exclusive, ...plan.shared.flat()];
    expect([...placed].sort()).toEqual([...files].sort());
    expect(new Set(placed).size).toBe(placed.length);
    expect(plan.shared).toHaveLength(SHARED_LANES);
  });

  it('name only files that exist, so a renamed file cannot silently leave the exclusive lane', () => {
    expect(EXCLUSIVE_FILES.filter((f) => !files.includes(f))).toEqual([]);
    expect(Object.keys(MEASURED_SECONDS).filter((f) => !files.includes(f))).toEqual([]);
    expect(WITH_E2E.filter((f) => !files.includes(f))).toEqual([]);
  });

  it('keep the files that restart dockerd or build with no cache alone, and every e2e file in the first lane', () => {
    expect(plan.exclusive).toContain('test/faults.engine.test.ts');
    expect(plan.exclusive).toContain('electron/core/build/notes.engine.test.ts');
    expect(
      plan.shared
        .slice(1)
        .flat()
        .filter((f) => f.startsWith('e2e/')),
    ).toEqual([]);
    expect(plan.shared[0]?.filter((f) => f.startsWith('e2e/')).length).toBe(
      files.filter((f) => f.startsWith('e2e/')).length,
    );
  });

  it('are the same for the same files, whatever their order', () => {
    expect(planLanes([...files].reverse())).toEqual(plan);
  });

  it('balance the shared lanes by measured time: no lane is more than the longest file above another', () => {
    const seconds = (f: string) => MEASURED_SECONDS[f] ?? 5;
    const engineLoad = plan.shared.map((lane) =>
      lane.filter((f) => !f.startsWith('e2e/') && !(WITH_E2E as readonly string[]).includes(f)).map(seconds),
    );
    const loads = engineLoad.map((l) => l.reduce((a, b) => a + b, 0));
    const longest = Math.max(...Object.values(MEASURED_SECONDS));
    // lane 1 also carries the e2e files, so it may hold less engine work than the others, never more
    expect(Math.max(...loads.slice(1)) - Math.min(...loads.slice(1))).toBeLessThanOrEqual(longest);
    expect(loads[0]).toBeLessThanOrEqual(Math.max(...loads.slice(1)));
  });

  it('keep every engine file that makes this engine a swarm manager in the e2e lane, beside the Services e2e test', () => {
    const swarmUsers = files.filter(
      (f) => f.endsWith('.engine.test.ts') && /swarm-harness|swarm init/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(swarmUsers.length).toBeGreaterThan(0);
    for (const file of swarmUsers) expect(plan.shared[0]).toContain(file);
  });

  it('refuse a file that is not an engine or e2e test', () => {
    expect(() => planLanes(['electron/core/logs/log-follow.test.ts'])).toThrow(/neither an engine test/);
  });
});
