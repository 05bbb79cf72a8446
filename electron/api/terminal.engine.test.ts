/**
 * Terminals against the real engine, through the router both transports use (issue 11 part 5, issue 14 Exec).
 * After a failing RUN (each builder) the debug shell starts in the previous step's files and working
 * directory with the failing command typed at the prompt; running it gives the build's exit code; the TTY
 * follows resizes; what the shell made is gone (checked by label with the docker CLI) when it exits, when its
 * subscriber leaves and when the app closes. Exec into a running container sees what `docker exec` sees.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName, waitFor } from '../../test/engine-harness';
import { type BuildModel, DEBUG_SHELL_LABEL } from '../contract';
import { Engine } from '../core/engine';
import { MemorySecretStore } from '../core/registry';
import { INSTANCE_LABEL, instanceId } from '../core/terminal';
import { HANGUP_GRACE_MS } from '../core/terminal/tty-exec';
import { type Backend, createBackend } from './backend';
import { followStream } from './test/follow-stream';
import { openTerminal, type TerminalClient } from './test/terminal-client';

/** Generous: a tiny build, a cached rebuild and a shell start take seconds here, more under load. */
const BUILD_DEADLINE_MS = 120_000;
const SHELL_DEADLINE_MS = 60_000;
const CLEANUP_DEADLINE_MS = 30_000;
const EXIT_CODE = 7;
/** How long the slow /bin/sh waits before it runs: long enough that the terminal is closed first. */
const SLOW_SHELL_START_S = 3;
const SIZE = { cols: 80, rows: 24 };

const litter = new EngineLitter();
const backends: Backend[] = [];
/** Untagged images the legacy builder made for the steps before the failure, child first (removed at the end). */
const legacyParents: string[] = [];
let contextDir: string;
let marker: string;

const newBackend = (instance?: string | null, engine = new Engine({ labels: testLabels() })): Backend => {
  const backend = createBackend({
    dataDir: mkdtempSync(join(tmpdir(), 'berth-terminal-data-')),
    secretStore: new MemorySecretStore(),
    engine,
    ...(instance !== undefined && { instance }),
  });
  backends.push(backend);
  return backend;
};

beforeAll(() => {
  contextDir = mkdtempSync(join(tmpdir(), 'berth-terminal-context-'));
  marker = uniqueName('debug');
  writeFileSync(
    join(contextDir, 'Dockerfile'),
    [
      'ARG BASE',
      'FROM ${BASE}',
      // This run's own first step: every step image the legacy builder makes below is this run's to remove.
      `ENV RUN_MARKER=${marker}`,
      'ARG FLAVOUR=plain',
      'WORKDIR /work/here',
      `RUN echo "${marker}" > made-by-previous`,
      `RUN test -f made-by-previous && sh -c 'exit ${EXIT_CODE}'`,
      'RUN echo never-reached',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const backend of backends) await backend.close();
  await litter.cleanup();
  for (const id of legacyParents) await docker('rmi', '--no-prune', id).catch(() => undefined);
  rmSync(contextDir, { recursive: true, force: true });
});

/**
 * What is left in the engine with a debug shell's label. Only this file makes debug shells, and engine tests
 * run one file at a time, so any such label is this run's (the legacy builder's LABEL steps carry only some).
 */
const leftBehind = async (): Promise<string> => {
  const filter = ['--filter', `label=${DEBUG_SHELL_LABEL}`];
  return `${await docker('ps', '-aq', ...filter)}${await docker('images', '-aq', ...filter)}`.trim();
};

const nothingLeft = () =>
  waitFor(
    async () => ((await leftBehind()) === '' ? true : undefined),
    CLEANUP_DEADLINE_MS,
    'no debug container or image',
  );

async function failedBuild(backend: Backend, builder: 'legacy' | 'buildkit'): Promise<BuildModel> {
  const { buildId } = (await backend.router.call('build.start', {
    contextDir,
    builder,
    buildArgs: { BASE: inject('nodeImage'), FLAVOUR: 'spicy' },
  })) as { buildId: string };
  const models = await followStream<BuildModel>(backend.router, 'build', { buildId }, BUILD_DEADLINE_MS);
  const model = models.at(-1)!;
  expect(model.state).toBe('failed');
  expect(model.failure).toMatchObject({ exitCode: EXIT_CODE });
  return model;
}

/** Notes the untagged images under the open debug shell's image, for the legacy builder's intermediate steps. */
async function noteLegacyParents(): Promise<void> {
  const image = await docker('images', '-q', '--no-trunc', '--filter', `label=${DEBUG_SHELL_LABEL}`);
  let parent = await docker('image', 'inspect', '--format', '{{.Parent}}', image.split('\n')[0]!);
  while (parent) {
    const tags = await docker('image', 'inspect', '--format', '{{len .RepoTags}}', parent);
    if (tags !== '0') break;
    legacyParents.push(parent);
    parent = await docker('image', 'inspect', '--format', '{{.Parent}}', parent);
  }
}

describe.each(['legacy', 'buildkit'] as const)('a debug shell after a failed RUN (%s)', (builder) => {
  let backend: Backend;
  let model: BuildModel;

  beforeAll(async () => {
    backend = newBackend();
    model = await failedBuild(backend, builder);
  }, BUILD_DEADLINE_MS);

  it('starts in the previous step’s files and directory, the command typed, and gives the same exit code', async () => {
    const shell: TerminalClient = openTerminal(backend.router, {
      target: { kind: 'debug', buildId: model.buildId },
      size: SIZE,
    });
    onTestFinished(() => shell.close());
    const opened = await shell.waitForEvent('opened', BUILD_DEADLINE_MS);
    expect(opened.debug).toEqual({
      instruction: `RUN test -f made-by-previous && sh -c 'exit ${EXIT_CODE}'`,
      command: `/bin/sh -c 'test -f made-by-previous && sh -c '\\''exit ${EXIT_CODE}'\\'''`,
      rebuiltSteps: 0,
      notes: [],
    });
    expect(await leftBehind()).not.toBe('');
    if (builder === 'legacy' && legacyParents.length === 0) await noteLegacyParents();

    // The failing command is waiting at the prompt: Enter runs it.
    // (ash redraws its prompt with escapes in between, so only the command itself is looked for.)
    await shell.waitForOutput(/\/bin\/sh -c 'test -f made-by-previous && sh -c '\\''exit 7/, SHELL_DEADLINE_MS);
    expect(shell.send({ kind: 'data', data: '\r' })).toBeUndefined();
    shell.send({ kind: 'data', data: 'echo "EXIT=$?"; pwd; cat made-by-previous; echo "FLAVOUR=$FLAVOUR"\r' });
    const [, code] = await shell.waitForOutput(/EXIT=(\d+)\n/, SHELL_DEADLINE_MS);
    expect(Number(code)).toBe(model.failure?.exitCode);
    await shell.waitForOutput(new RegExp(`\\n/work/here\\n${marker}\\nFLAVOUR=spicy\\n`), SHELL_DEADLINE_MS);

    // The TTY follows resizes.
    shell.send({ kind: 'data', data: 'stty size\r' });
    await shell.waitForOutput(/\n24 80\n/, SHELL_DEADLINE_MS);
    const mark = shell.output().length;
    expect(shell.send({ kind: 'resize', cols: 132, rows: 43 })).toBeUndefined();
    shell.send({ kind: 'data', data: 'stty size\r' });
    await shell.waitForOutput(/\n43 132\n/, SHELL_DEADLINE_MS, mark);

    shell.send({ kind: 'data', data: 'exit 3\r' });
    expect((await shell.waitForEvent('exited', SHELL_DEADLINE_MS)).exitCode).toBe(3);
    await shell.ended;
    expect(await leftBehind()).toBe('');
  });

  it('removes the container and image when the subscriber leaves', async () => {
    const shell = openTerminal(backend.router, { target: { kind: 'debug', buildId: model.buildId }, size: SIZE });
    onTestFinished(() => shell.close());
    await shell.waitForEvent('opened', BUILD_DEADLINE_MS);
    expect(await leftBehind()).not.toBe('');
    shell.close();
    await nothingLeft();
  });
});

it('removes every debug shell’s container and image when the app closes', async () => {
  const backend = newBackend();
  const model = await failedBuild(backend, 'buildkit');
  const shell = openTerminal(backend.router, { target: { kind: 'debug', buildId: model.buildId }, size: SIZE });
  await shell.waitForEvent('opened', BUILD_DEADLINE_MS);
  expect(await leftBehind()).not.toBe('');
  await backend.close();
  expect(await leftBehind()).toBe('');
});

describe('exec into a running container', () => {
  let name: string;
  let backend: Backend;

  beforeAll(async () => {
    backend = newBackend();
    name = litter.container(uniqueName('exec'));
    await docker('run', '-d', '--name', name, inject('nodeImage'), 'sh', '-c', 'echo seen > /tmp/seen; sleep 3600');
  });

  it('runs a shell that sees what docker exec sees, and writes what docker exec then reads', async () => {
    const shell = openTerminal(backend.router, { target: { kind: 'exec', container: name }, size: SIZE });
    onTestFinished(() => shell.close());
    const opened = await shell.waitForEvent('opened', SHELL_DEADLINE_MS);
    expect(opened).toMatchObject({ shell: 'sh', debug: null });
    const token = uniqueName('typed');
    shell.send({
      kind: 'data',
      data: `echo "HOST=$(hostname) PWD=$(pwd) SEEN=$(cat /tmp/seen)"; echo ${token} > /tmp/typed\r`,
    });
    const [, host, pwd] = await shell.waitForOutput(/HOST=(\S+) PWD=(\S+) SEEN=seen\n/, SHELL_DEADLINE_MS);
    expect(host).toBe(await docker('exec', name, 'hostname'));
    expect(pwd).toBe(await docker('exec', name, 'pwd'));
    await waitFor(
      async () => ((await docker('exec', name, 'cat', '/tmp/typed').catch(() => '')) === token ? true : undefined),
      SHELL_DEADLINE_MS,
      'the typed file, read by docker exec',
    );
    shell.send({ kind: 'data', data: 'exit\r' });
    expect((await shell.waitForEvent('exited', SHELL_DEADLINE_MS)).exitCode).toBe(0);
  });

  it('hangs the shell up when the subscriber leaves: the engine would keep it running', async () => {
    const shells = async () =>
      (await docker('exec', name, 'ps', '-o', 'pid,args')).split('\n').filter((l) => /\bsh -i\b/.test(l));
    const before = (await shells()).length;
    const shell = openTerminal(backend.router, { target: { kind: 'exec', container: name }, size: SIZE });
    await shell.waitForEvent('opened', SHELL_DEADLINE_MS);
    shell.send({ kind: 'data', data: 'sleep 3601\r' });
    await waitFor(async () => ((await shells()).length > before ? true : undefined), SHELL_DEADLINE_MS, 'the shell');
    shell.close();
    await waitFor(
      async () => {
        const left = await docker('exec', name, 'ps', '-o', 'pid,args');
        // A killed job the container's init does not reap stays as a zombie, `[sleep]`, without its arguments.
        return (await shells()).length === before && !/sleep 3601/.test(left) ? true : undefined;
      },
      SHELL_DEADLINE_MS,
      'the shell and its job to end',
    );
  });

  it('hangs up a shell closed before it said its pid (a slow start): nothing is left running', async () => {
    // A /bin/sh that takes a while to start, so the terminal opens (and is closed) before the wrapper speaks.
    const slow = litter.container(uniqueName('slow-shell'));
    await docker('run', '-d', '--name', slow, inject('nodeImage'), 'sleep', '3600');
    await docker(
      'exec',
      slow,
      '/bin/busybox',
      'sh',
      '-c',
      `rm /bin/sh && printf '#!/bin/busybox sh\\nsleep ${SLOW_SHELL_START_S}\\nexec /bin/busybox sh "$@"\\n' > /bin/sh && chmod 755 /bin/sh`,
    );
    const interactive = async () =>
      (await docker('exec', slow, 'ps', '-o', 'args'))
        .split('\n')
        .map((l) => l.trim())
        // Everything but the header, ps itself, the container's own sleep and zombies (`[sleep]`) nothing reaps.
        .filter((l) => l && !/^(?:COMMAND|PID|ps |sleep 3600|\[)/.test(l));
    const shell = openTerminal(backend.router, { target: { kind: 'exec', container: slow, shell: 'sh' }, size: SIZE });
    await shell.waitForEvent('opened', SHELL_DEADLINE_MS);
    shell.close();
    // Before the fix the shell stayed: the engine keeps an exec running after its client goes.
    await waitFor(
      async () => ((await interactive()).length === 0 ? true : undefined),
      SHELL_DEADLINE_MS,
      'the slow shell to be hung up',
    );
  });

  it('kills a shell that ignores SIGHUP once the grace period is over: closing the terminal leaves nothing', async () => {
    const mark = uniqueName('nohup');
    const ours = async () =>
      (await docker('exec', name, 'ps', '-o', 'pid,args')).split('\n').filter((l) => /\bsh -i\b/.test(l));
    const before = (await ours()).length;
    const shell = openTerminal(backend.router, { target: { kind: 'exec', container: name }, size: SIZE });
    await shell.waitForEvent('opened', SHELL_DEADLINE_MS);
    shell.send({ kind: 'data', data: `trap '' HUP; echo "${mark}-$((1+1))"\r` });
    await shell.waitForOutput(new RegExp(`${mark}-2`), SHELL_DEADLINE_MS);
    expect((await ours()).length).toBe(before + 1);
    shell.close();
    // HANGUP_GRACE_MS after the hang-up it is killed; the deadline is generous on top of it.
    await waitFor(
      async () => ((await ours()).length === before ? true : undefined),
      HANGUP_GRACE_MS + SHELL_DEADLINE_MS,
      'the shell that ignores SIGHUP to be killed',
    );
  });

  it('refuses bash where there is none, a stopped container, and input before it opens', async () => {
    const bash = openTerminal(backend.router, { target: { kind: 'exec', container: name, shell: 'bash' }, size: SIZE });
    await expect(bash.ended).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stopped = litter.container(uniqueName('stopped'));
    await docker('create', '--name', stopped, inject('nodeImage'), 'true');
    const notRunning = openTerminal(backend.router, { target: { kind: 'exec', container: stopped }, size: SIZE });
    expect(notRunning.send({ kind: 'data', data: 'x' })).toMatchObject({ code: 'CONFLICT' });
    await expect(notRunning.ended).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('after a crash', () => {
  it('a new Berth removes what a dead instance’s terminals left (debug shell, exec shell), never a live one’s', async () => {
    const host = litter.container(uniqueName('crash-exec'));
    await docker('run', '-d', '--name', host, inject('nodeImage'), 'sleep', '3600');
    const running = async () => (await docker('exec', host, 'ps', '-o', 'args')).split('\n');
    const made = async (instance: string) => {
      const filter = ['--filter', `label=${INSTANCE_LABEL}=${instance}`];
      return `${await docker('ps', '-aq', ...filter)}${await docker('images', '-aq', ...filter)}`.trim();
    };

    // The instance that will crash lives in a process of its own (its liveness marker), killed with -9 below.
    const owner = spawn('sleep', ['3600'], { stdio: 'ignore' });
    onTestFinished(() => {
      owner.kill('SIGKILL');
    });
    const crashedId = instanceId(owner.pid)!;
    const crashedEngine = new Engine({ labels: testLabels() });
    const crashed = newBackend(crashedId, crashedEngine);
    const crashedBuild = await failedBuild(crashed, 'buildkit');
    const crashedDebug = openTerminal(crashed.router, {
      target: { kind: 'debug', buildId: crashedBuild.buildId },
      size: SIZE,
    });
    await crashedDebug.waitForEvent('opened', BUILD_DEADLINE_MS);
    const crashedExec = openTerminal(crashed.router, { target: { kind: 'exec', container: host }, size: SIZE });
    await crashedExec.waitForEvent('opened', SHELL_DEADLINE_MS);
    crashedExec.send({ kind: 'data', data: 'sleep 3602\r' });

    const liveId = instanceId()!;
    const live = newBackend(liveId);
    const liveBuild = await failedBuild(live, 'buildkit');
    const liveDebug = openTerminal(live.router, { target: { kind: 'debug', buildId: liveBuild.buildId }, size: SIZE });
    onTestFinished(() => liveDebug.close());
    await liveDebug.waitForEvent('opened', BUILD_DEADLINE_MS);
    const liveExec = openTerminal(live.router, { target: { kind: 'exec', container: host }, size: SIZE });
    onTestFinished(() => liveExec.close());
    await liveExec.waitForEvent('opened', SHELL_DEADLINE_MS);
    liveExec.send({ kind: 'data', data: 'sleep 3603\r' });
    await waitFor(
      async () =>
        (await running()).some((l) => /sleep 3602/.test(l)) && (await running()).some((l) => /sleep 3603/.test(l))
          ? true
          : undefined,
      SHELL_DEADLINE_MS,
      'both exec shells’ jobs',
    );
    expect(await made(crashedId)).not.toBe('');
    expect(await made(liveId)).not.toBe('');

    // The crash: its process dies, and the instance is dropped without closing (it no longer reaches the engine,
    // so nothing of its own clean-up can run).
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    (crashedEngine.docker.modem as { socketPath?: string }).socketPath = join(contextDir, 'no-engine.sock');

    newBackend(); // a new Berth sweeps once it connects
    await waitFor(
      async () =>
        (await made(crashedId)) === '' && !(await running()).some((l) => /sleep 3602/.test(l)) ? true : undefined,
      CLEANUP_DEADLINE_MS,
      'the dead instance’s debug container, image and exec shell to be gone',
    );
    // The live instance's shells were left alone, and still answer.
    expect(await made(liveId)).not.toBe('');
    expect((await running()).some((l) => /sleep 3603/.test(l))).toBe(true);
    // The failing command waits at its prompt: Enter runs it (the shell stays), then the echo.
    liveDebug.send({ kind: 'data', data: '\r' });
    liveDebug.send({ kind: 'data', data: 'echo "alive-$((2+3))"\r' });
    await liveDebug.waitForOutput(/alive-5/, SHELL_DEADLINE_MS);

    liveDebug.close();
    liveExec.close();
    await waitFor(
      async () => ((await made(liveId)) === '' ? true : undefined),
      CLEANUP_DEADLINE_MS,
      'the live shell’s clean-up',
    );
  });
});
