/**
 * Hole 1 of issue 9, end to end: the real web-mode entry point, with a stand-in `xdg-open` on PATH that
 * records the argv it was given (what every local user could read in /proc). The opener and the
 * terminal each get a one-time link; the long-lived token shows up nowhere but in the cookie.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { send } from './test/http-client';

/** Start-up through tsx on a loaded machine; generous, and only reached on failure. */
const START_DEADLINE_MS = 60_000;
const LINE_DEADLINE_MS = 15_000;
const REPO = resolve(import.meta.dirname, '..', '..');

let dir: string;
let child: ChildProcess;
let output = '';

function waitForOutput(pattern: RegExp, from: number, deadlineMs: number): Promise<RegExpExecArray> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${deadlineMs} ms:\n${output}`)), deadlineMs);
    const look = (): void => {
      const found = pattern.exec(output.slice(from));
      if (!found) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolvePromise(found);
    };
    child.stdout!.on('data', look);
    look();
  });
}

const pathOf = (link: string): string => {
  const url = new URL(link);
  return url.pathname + url.search;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-main-'));
  const bin = join(dir, 'bin');
  const argvFile = join(dir, 'opener-argv');
  // The stand-in opener: records its arguments exactly as /proc/<pid>/cmdline would show them.
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'xdg-open'),
    `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${argvFile}.tmp'\nmv '${argvFile}.tmp' '${argvFile}'\n`,
  );
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    BERTH_DATA_DIR: join(dir, 'data'),
    XDG_RUNTIME_DIR: dir,
    // No engine is needed: the backend starts disconnected and keeps trying.
    DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}`,
  };
  delete env.CI;
  // One process (tsx as a loader, not as its CLI wrapper), so signals and /proc/<pid> are web mode's own.
  child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'electron', 'web', 'main.ts'), '--port', '0'], {
    cwd: REPO,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk: string) => {
    output += chunk;
  });
  await waitForOutput(/Berth is running at (\S+)/, 0, START_DEADLINE_MS);
  await vi.waitFor(() => expect(existsSync(argvFile)).toBe(true), { timeout: LINE_DEADLINE_MS });
}, START_DEADLINE_MS + LINE_DEADLINE_MS);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('web mode as started from a terminal', () => {
  let token = '';

  it('hands the browser opener only a private page, whose one-time link signs in once', async () => {
    const argv = readFileSync(join(dir, 'opener-argv'), 'utf8').trim().split('\n');
    expect(argv).toHaveLength(2);
    // The opener's argv names a file, not the link: no code to steal from /proc.
    expect(argv[1]).toMatch(/^file:\/\/.*\/berth-open-[^/]+\/open\.html$/);
    expect(argv[1]).not.toMatch(/code=/);
    const page = fileURLToPath(argv[1]!);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(page)).mode & 0o777).toBe(0o700);
    const link = /url=(http:[^"]+)"/.exec(readFileSync(page, 'utf8'))![1]!;
    expect(link).toMatch(/^http:\/\/berth-[0-9a-f]{16}\.localhost:\d+\/\?code=[A-Za-z0-9_-]{32}$/);
    const port = Number(new URL(link).port);
    const first = await send(port, pathOf(link));
    expect(first.status).toBe(302);
    token = /berth_token_\d+=([A-Za-z0-9_-]+);/.exec(String(first.headers['set-cookie']))![1]!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // Whoever read the opener's argv is too late now.
    expect((await send(port, pathOf(link))).status).toBe(401);
  });

  it('prints its own one-time link, and a fresh one on Enter or SIGUSR2', {
    timeout: 3 * LINE_DEADLINE_MS,
  }, async () => {
    const printed = /Berth is running at (\S+)/.exec(output)![1]!;
    const port = Number(new URL(printed).port);
    expect(output).toMatch(/That link opens Berth once, within 60 s; for a new one, press Enter here or send SIGUSR2/);
    expect((await send(port, pathOf(printed))).status).toBe(302);
    expect((await send(port, pathOf(printed))).status).toBe(401);

    let from = output.length;
    child.stdin!.write('\n');
    const onEnter = (await waitForOutput(/New sign-in link: (\S+)/, from, LINE_DEADLINE_MS))[1]!;
    from = output.length;
    child.kill('SIGUSR2');
    const onSignal = (await waitForOutput(/New sign-in link: (\S+)/, from, LINE_DEADLINE_MS))[1]!;
    expect(onSignal).not.toBe(onEnter);
    for (const link of [onEnter, onSignal]) {
      expect((await send(port, pathOf(link))).status).toBe(302);
      expect((await send(port, pathOf(link))).status).toBe(401);
    }
  });

  it('never shows the long-lived token in argv, the opener argv or its output', () => {
    expect(token).not.toBe('');
    expect(readFileSync(join(dir, 'opener-argv'), 'utf8')).not.toContain(token);
    expect(output).not.toContain(token);
    expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain(token);
  });
});
