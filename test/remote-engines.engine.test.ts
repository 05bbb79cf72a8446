/**
 * Issue 13, remote engines, through Berth's API (the validating router) against real engines:
 * - ssh:// through sshd on a free loopback port (a key made for the test), reaching this machine's dockerd;
 * - tcp:// with TLS to a second dockerd started with --tlsverify and certificates made with openssl;
 * both saved from the API as docker contexts, then list, run and read logs; and the clear errors for a
 * wrong SSH key, a client certificate the engine refuses, a CA that does not vouch for the engine, and a
 * host that does not answer. The docker CLI is the oracle for what the engines hold.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, createBackend } from '../electron/api/backend';
import { followStream } from '../electron/api/test/follow-stream';
import type { ContainerSummary, EngineContext, EngineStatus, LogStreamEvent, NewEngine } from '../electron/contract';
import { Engine } from '../electron/core/engine';
import { CHANNELS_PER_CONNECTION } from '../electron/core/engine/ssh-agent';
import { MemorySecretStore } from '../electron/core/registry';
import { docker, EngineLitter, freePort, testLabels, uniqueName, waitFor } from './engine-harness';
import { importBusybox, type Sshd, startSshd, startTlsDockerd, type TlsDockerd } from './remote-engines';

/** The first request over SSH opens the shared connection and runs `docker system dial-stdio`: well under a second here. */
const CONNECT_DEADLINE_MS = 60_000;
/** How many requests are sent one after another over the one SSH connection. */
const REQUESTS = 12;
/**
 * How many are then sent all at once: fewer than the channels one connection carries, less the events stream's
 * and one spare, so none has to wait for a free channel. (A request that waits longer than SLOT_WAIT_MS opens a
 * second connection by design, and on a loaded machine it did: that path is ssh-agent.test.ts's, with a fake clock.)
 */
const AT_ONCE = CHANNELS_PER_CONNECTION - 2;
const LOGS_DEADLINE_MS = 60_000;

const litter = new EngineLitter();
let sshd: Sshd;
let tls: TlsDockerd;
let work: string;
let config: string;
let engine: Engine;
let backend: Backend;
let mainImage: string;
let tlsImage: string;

/** What `docker context ls` lists in the test's config folder: name and address of each context. */
function cliContexts(): Array<{ Name: string; DockerEndpoint: string }> {
  const out = execFileSync('docker', ['context', 'ls', '--format', '{{json .}}'], {
    env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '', DOCKER_CONTEXT: '' },
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { Name, DockerEndpoint } = JSON.parse(line) as { Name: string; DockerEndpoint: string };
      return { Name, DockerEndpoint };
    });
}

const call = <T>(name: string, input: object): Promise<T> => backend.router.call(name, input) as Promise<T>;

/** Switches to `context` and waits until the engine has answered one way or the other. */
async function switchTo(context: string): Promise<EngineStatus> {
  await call('engine.useContext', { name: context });
  return waitFor(
    async () => {
      const status = await call<EngineStatus>('engine.status', {});
      return status.context === context && status.state !== 'connecting' ? status : undefined;
    },
    CONNECT_DEADLINE_MS,
    `the context ${context} to connect or fail`,
  );
}

/** Saves `engine` as a context through the API and switches to it. */
async function addAndSwitch(engine: NewEngine): Promise<EngineStatus> {
  await call('engine.addContext', engine);
  return switchTo(engine.name);
}

/** Runs `echo <word>` in `image` through the API, waits for it to exit, and reads its logs through the API. */
async function runAndReadLogs(image: string, word: string): Promise<{ id: string; lines: string[] }> {
  const name = litter.container(uniqueName('remote'));
  const run = await call<ContainerSummary>('containers.run', { image, name, command: ['sh', '-c', `echo ${word}`] });
  await waitFor(
    async () => {
      const list = await call<ContainerSummary[]>('containers.list', {});
      return list.find((c) => c.id === run.id && c.state === 'exited');
    },
    CONNECT_DEADLINE_MS,
    `${name} to exit`,
  );
  const events = await followStream<LogStreamEvent>(
    backend.router,
    'logs',
    { id: run.id, follow: false, tail: 100 },
    LOGS_DEADLINE_MS,
  );
  const lines = events.flatMap((e) => (e.kind === 'batch' ? e.text : []));
  return { id: run.id, lines };
}

beforeAll(async () => {
  [sshd, tls] = await Promise.all([startSshd(), startTlsDockerd()]);
  work = mkdtempSync(join(tmpdir(), 'berth-remote-'));
  config = join(work, 'docker-config');
  mkdirSync(config);
  mainImage = litter.image(`${uniqueName('busybox')}:1`);
  tlsImage = `${uniqueName('busybox')}:1`;
  await Promise.all([
    importBusybox((...args) => docker(...args), mainImage, testLabels()),
    importBusybox(tls.cli, tlsImage, testLabels()),
  ]);
  // HOME points at a folder of the test's own so no personal ~/.ssh key or known_hosts is ever read: only
  // what the context names, and a known_hosts holding the test sshd's real host key.
  sshd.trustIn(work);
  engine = new Engine({ env: { HOME: work }, configDir: config, labels: testLabels() });
  backend = createBackend({ dataDir: join(work, 'data'), secretStore: new MemorySecretStore(), engine });
});

afterAll(async () => {
  await backend?.close();
  await litter.cleanup();
  await Promise.all([sshd?.stop(), tls?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('an engine over SSH', () => {
  it("checks the server's host key against known_hosts: unknown and changed keys are refused, the real one is used", async () => {
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], {
      input: sshd.hostKey,
      encoding: 'utf8',
    }).split(' ')[1];
    const engine: NewEngine = {
      kind: 'ssh',
      name: 'ssh-host-key',
      user: 'root',
      host: '127.0.0.1',
      port: sshd.port,
      identityFile: sshd.key,
    };
    const knownHosts = join(work, '.ssh', 'known_hosts');
    rmSync(knownHosts, { force: true });
    const unknown = await addAndSwitch(engine);
    expect(unknown.state).toBe('disconnected');
    expect(unknown.error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(unknown.error?.message).toContain(`[127.0.0.1]:${sshd.port} is not in known_hosts`);
    expect(unknown.error?.message).toContain(fingerprint);
    expect(unknown.error?.fix).toContain(`ssh -p ${sshd.port} root@127.0.0.1`);

    // Another key on file for this host (as after a man in the middle took the address): refused, naming the line.
    const impostor = readFileSync(`${sshd.wrongKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    sshd.trustIn(work, impostor);
    const changed = await switchTo(engine.name);
    expect(changed.state).toBe('disconnected');
    expect(changed.error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(changed.error?.message).toContain(`${knownHosts} line 1`);
    expect(changed.error?.message).toContain(fingerprint);
    expect(changed.error?.fix).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}'`);

    // The CLI's own ssh, given the same known_hosts, refuses too: the oracle agrees that this is a mismatch.
    const cli = spawnSync(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-o',
        `UserKnownHostsFile=${knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'BatchMode=yes',
        '-i',
        sshd.key,
        '-p',
        String(sshd.port),
        'root@127.0.0.1',
        'true',
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED/);

    sshd.trustIn(work);
    expect(await switchTo(engine.name)).toMatchObject({ state: 'connected', endpoint: sshd.host });
  });

  it('is saved as a context the CLI lists, then lists, runs and reads logs through sshd', async () => {
    const added = await call<EngineContext>('engine.addContext', {
      kind: 'ssh',
      name: 'ssh-test',
      user: 'root',
      host: '127.0.0.1',
      port: sshd.port,
      identityFile: sshd.key,
    });
    expect(added).toMatchObject({ name: 'ssh-test', endpoint: sshd.host, current: false });
    // The CLI's oracle: the context is the CLI's own, with the same address.
    expect(cliContexts()).toContainEqual({ Name: 'ssh-test', DockerEndpoint: sshd.host });
    const status = await switchTo('ssh-test');
    expect(status).toMatchObject({ state: 'connected', endpoint: sshd.host, podman: false, portHost: '127.0.0.1' });
    expect(status.apiVersion).toMatch(/^1\.\d+$/);

    const { id, lines } = await runAndReadLogs(mainImage, 'hello-over-ssh');
    expect(lines).toEqual(['hello-over-ssh']);
    // The same dockerd, seen by the CLI over its own socket: the container is there, with Berth's labels.
    expect(await docker('ps', '-a', '--no-trunc', '--filter', `id=${id}`, '--format', '{{.ID}}')).toBe(id);
  });

  it('sends sequential and parallel requests over ONE SSH connection, ended at the switch and at close', async () => {
    // The oracles are sshd's own: its log's logins, and its established TCP connections (ss).
    const logins = () =>
      (readFileSync(join(sshd.dir, 'sshd.log'), 'utf8').match(/Accepted publickey for root/g) ?? []).length;
    const connections = () =>
      execFileSync('ss', ['-Htn', 'state', 'established', `( sport = :${sshd.port} )`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean).length;
    const settlesAt = (count: number, what: string) =>
      waitFor(async () => (connections() === count ? true : undefined), CONNECT_DEADLINE_MS, what);
    // Only Berth connects to this sshd: switched away, it holds no SSH connection there.
    await switchTo('default');
    await settlesAt(0, 'the SSH connections to end when Berth switched to the local engine');
    const loginsBefore = logins();

    expect(await switchTo('ssh-test')).toMatchObject({ state: 'connected', endpoint: sshd.host });
    const ids = new Set(await docker('ps', '-a', '--no-trunc', '--format', '{{.ID}}').then((o) => o.split('\n')));
    for (let i = 0; i < REQUESTS; i++) {
      const listed = await call<ContainerSummary[]>('containers.list', {});
      expect(listed.length).toBeGreaterThan(0);
    }
    const together = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) =>
        i % 2 ? call<ContainerSummary[]>('containers.list', {}) : call<unknown[]>('images.list', {}),
      ),
    );
    expect(together).toHaveLength(AT_ONCE);
    // What Berth listed over SSH is this engine's (the CLI over its own socket as the oracle).
    expect([...ids].some((id) => (together[1] as ContainerSummary[]).some((c) => c.id === id))).toBe(true);
    expect(logins() - loginsBefore).toBe(1);
    expect(connections()).toBe(1);

    // Switched away, and a Berth that stops: sshd's connection count returns to where it was.
    await switchTo('default');
    await settlesAt(0, 'the SSH connection to end at the switch');
    const own = new Engine({ env: { HOME: work, DOCKER_CONTEXT: 'ssh-test' }, configDir: config });
    try {
      expect(await own.status()).toMatchObject({ state: 'connected', endpoint: sshd.host });
      expect(connections()).toBe(1);
    } finally {
      own.close();
    }
    await settlesAt(0, 'the SSH connection to end when the engine closed');
    await switchTo('ssh-test');
  });

  it('refuses a key the server does not accept: AUTH_FAILED naming the key file', async () => {
    const status = await addAndSwitch({
      kind: 'ssh',
      name: 'ssh-wrong-key',
      user: 'root',
      host: '127.0.0.1',
      port: sshd.port,
      identityFile: sshd.wrongKey,
    });
    expect(status.state).toBe('disconnected');
    expect(status.error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(status.error?.message).toContain(sshd.wrongKey);
    expect(status.error?.fix).toMatch(/authorized_keys/);
  });

  it('says when the SSH host cannot be reached: ENGINE_UNREACHABLE with what to check', async () => {
    const closed = await freePort();
    const status = await addAndSwitch({
      kind: 'ssh',
      name: 'ssh-nobody',
      user: 'root',
      host: '127.0.0.1',
      port: closed,
      identityFile: sshd.key,
    });
    expect(status.state).toBe('disconnected');
    expect(status.error).toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    expect(status.error?.message).toContain(`127.0.0.1:${closed}`);
    expect(status.error?.fix).toMatch(/sshd/);
  });
});

describe('an engine over TLS', () => {
  const files = (dir: string) => ({ ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') });

  it('is saved with its certificates, then lists, runs and reads logs on the second dockerd', async () => {
    const status = await addAndSwitch({
      kind: 'tls',
      name: 'tls-test',
      host: '127.0.0.1',
      port: tls.port,
      ...files(tls.clientDir),
    });
    expect(cliContexts()).toContainEqual({ Name: 'tls-test', DockerEndpoint: tls.host });
    // The CLI itself connects through the saved context (its copies of ca.pem, cert.pem and key.pem).
    expect(
      execFileSync('docker', ['--context', 'tls-test', 'version', '--format', '{{.Server.Version}}'], {
        env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '' },
        encoding: 'utf8',
      }).trim(),
    ).toBe(await tls.cli('version', '--format', '{{.Server.Version}}'));
    expect(status).toMatchObject({
      state: 'connected',
      endpoint: tls.host,
      buildkit: true,
      podman: false,
      swarmManager: false,
    });

    const images = await call<Array<{ tags: string[] }>>('images.list', {});
    expect(images.flatMap((i) => i.tags)).toContain(tlsImage);
    const { id, lines } = await runAndReadLogs(tlsImage, 'hello-over-tls');
    expect(lines).toEqual(['hello-over-tls']);
    // The CLI over the same TLS connection sees the container; the first engine does not have it.
    expect(await tls.cli('ps', '-a', '--no-trunc', '--filter', `id=${id}`, '--format', '{{.ID}}')).toBe(id);
    expect(await docker('ps', '-a', '--no-trunc', '--filter', `id=${id}`, '--format', '{{.ID}}')).toBe('');
    await tls.cli('rm', '-f', id);
  });

  it('a client certificate from another CA is refused: AUTH_FAILED naming cert.pem to replace', async () => {
    const status = await addAndSwitch({
      kind: 'tls',
      name: 'tls-stranger',
      host: '127.0.0.1',
      port: tls.port,
      ...files(tls.strangerDir),
    });
    expect(status.state).toBe('disconnected');
    expect(status.error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(status.error?.message).toMatch(
      /refused the client certificate .*tls-stranger|refused the client certificate .*cert\.pem/,
    );
    expect(status.error?.fix).toContain('cert.pem');
  });

  it('a CA that did not sign the engine certificate: AUTH_FAILED naming ca.pem to replace', async () => {
    // The stranger's client certificate doubles as a CA the engine's certificate does not chain to.
    const status = await addAndSwitch({
      kind: 'tls',
      name: 'tls-wrong-ca',
      host: '127.0.0.1',
      port: tls.port,
      ...files(tls.clientDir),
      ca: join(tls.strangerDir, 'cert.pem'),
    });
    expect(status.state).toBe('disconnected');
    expect(status.error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(status.error?.message).toMatch(/ca\.pem does not vouch for/);
    expect(status.error?.fix).toMatch(/ca\.pem/);
  });

  it('a TLS engine that does not answer: ENGINE_UNREACHABLE', async () => {
    const status = await addAndSwitch({
      kind: 'tls',
      name: 'tls-nobody',
      host: '127.0.0.1',
      port: await freePort(),
      ...files(tls.clientDir),
    });
    expect(status).toMatchObject({ state: 'disconnected', error: { code: 'ENGINE_UNREACHABLE' } });
  });
});

describe('switching engines while a logs stream is open', () => {
  it('ends the stream of the old engine at the switch', async () => {
    await switchTo('default');
    const name = litter.container(uniqueName('chatty'));
    const run = await call<ContainerSummary>('containers.run', {
      image: mainImage,
      name,
      command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'],
    });
    const events: LogStreamEvent[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      backend.router.subscribe(
        'logs',
        { id: run.id, follow: true, tail: 10 },
        (e) => {
          events.push(e as LogStreamEvent);
        },
        reject,
        resolve,
      );
    });
    await waitFor(async () => (events.some((e) => e.kind === 'batch') ? true : undefined), LOGS_DEADLINE_MS, 'a tick');
    await switchTo('tls-test');
    await ended; // the stream ends by itself: nothing from the old engine keeps flowing
    const count = events.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(events.length).toBe(count);
  });
});
