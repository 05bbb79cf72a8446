import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { WatchSession } from './watch';

// An engine that is not there: each round's build fails at once, which is enough to see what starts a round.
const engine = {
  docker: new Dockerode({ socketPath: '/nonexistent/docker.sock' }),
  endpoint: 'unix:///nonexistent/docker.sock',
};
/** Generous: fs.watch reports within milliseconds; the debounce below is 100 ms. */
const ROUND_DEADLINE_MS = 10_000;
const QUIET_MS = 600;

let dir = '';
let session: WatchSession | null = null;
afterEach(async () => {
  session?.stop();
  await session?.done;
  session = null;
  rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  dir = mkdtempSync(join(tmpdir(), 'berth-watch-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY src /src\n');
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n*.log\n');
  writeFileSync(join(dir, 'src/a.txt'), 'a');
  return dir;
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + ROUND_DEADLINE_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('watch mode (no engine needed)', () => {
  it('ignores what .dockerignore leaves out, starts one round for a burst of changes, and stops for good', async () => {
    const context = project();
    session = await WatchSession.start({ build: { contextDir: context }, debounceMs: 100 }, { engine });
    writeFileSync(join(context, 'node_modules/x.js'), 'x');
    writeFileSync(join(context, 'build.log'), 'x');
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(session.current().rounds).toEqual([]);

    writeFileSync(join(context, 'src/a.txt'), 'a2');
    writeFileSync(join(context, 'src/b.txt'), 'b');
    await until(() => session!.current().rounds.some((r) => r.endedAt !== null), 'the round to end');
    const [round] = session.current().rounds;
    expect(round?.changed).toEqual(['src/a.txt', 'src/b.txt']);
    expect(round?.state).toBe('failed');
    expect(round?.failure?.code).toBe('ENGINE_UNREACHABLE');

    session.stop();
    expect((await session.done).state).toBe('stopped');
    writeFileSync(join(context, 'src/c.txt'), 'c');
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(session.current().rounds).toHaveLength(1);
  });

  it('refuses a context folder that does not exist, watching nothing', async () => {
    await expect(
      WatchSession.start({ build: { contextDir: '/nonexistent/berth-project' } }, { engine }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
