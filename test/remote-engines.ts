/**
 * Remote engines for tests, everything in a temp dir and torn down afterwards:
 * - `startSshd()`: sshd on a free loopback port with a host key and a client key made for the test, and an
 *   authorized_keys file holding only that client key (removed with the temp dir; root's own ~/.ssh is
 *   never touched). `trustIn(home)` writes a known_hosts for it under a HOME of the test's own. ssh:// connections through it reach this machine's dockerd via `docker system dial-stdio`.
 * - `startTlsDockerd()`: a second dockerd on a free loopback TCP port with --tlsverify, a CA, server and client
 *   certificates made with openssl, and its own --data-root/--exec-root/--pidfile/socket, with
 *   --iptables=false and a bridge of its own made for the test. NOT --bridge=none: dockerd 20.10 answers
 *   that by DELETING the host's docker0 (removeDefaultBridgeInterface), which breaks the first engine's
 *   containers until docker0 is made again.
 *
 * Only under the engine lock (`flock /tmp/berth-engine.lock ...`).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from './engine-harness';

const execFileAsync = promisify(execFile);

/** sshd and dockerd come up in well under a second here; a busy 2-core machine may need much longer. */
const START_DEADLINE_MS = 60_000;
/** dockerd stops its own containerd and containers before it exits. */
const STOP_DEADLINE_MS = 30_000;

/** Whether something accepts TCP connections on address:port right now. */
function listening(port: number, address = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Keeps a child's stderr; its last words may come after its folder was removed at stop, and are dropped. */
function appendLog(file: string, chunk: Buffer): void {
  try {
    writeFileSync(file, chunk, { flag: 'a' });
  } catch {
    // the temp folder is gone: the process was stopped on purpose
  }
}

function logOf(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}

export interface Sshd {
  port: number;
  /** ssh://root@<address>:<port> */
  host: string;
  /** the loopback address sshd listens on: 127.0.0.1, or another (127.0.0.2) to look like another machine */
  address: string;
  /** the private key sshd accepts (unencrypted PEM, OpenSSH format) */
  key: string;
  /** a private key sshd does NOT accept */
  wrongKey: string;
  /** sshd's own host public key, `ssh-ed25519 AAAA...` */
  hostKey: string;
  /** Writes `<home>/.ssh/known_hosts` trusting `publicKey` (sshd's real host key by default) for this sshd. */
  trustIn(home: string, publicKey?: string): string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts sshd on a free loopback port, accepting only a key made for this test. `address` may be another
 * loopback address (127.0.0.2): this machine still, but an engine host Berth does not count as local.
 */
export async function startSshd(address = '127.0.0.1'): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-sshd-'));
  const keygen = (file: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'berth-test', '-f', file], { stdio: 'ignore' });
  const hostKey = join(dir, 'host_ed25519');
  const key = join(dir, 'client_ed25519');
  const wrongKey = join(dir, 'stranger_ed25519');
  keygen(hostKey);
  keygen(key);
  keygen(wrongKey);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${key}.pub`), { mode: 0o600 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation folder
  const port = await freePort();
  const log = join(dir, 'sshd.log');
  const child = spawn(
    '/usr/sbin/sshd',
    [
      '-D',
      '-e',
      '-f',
      '/dev/null',
      '-p',
      String(port),
      '-h',
      hostKey,
      '-o',
      `ListenAddress=${address}`,
      '-o',
      `AuthorizedKeysFile=${authorized}`,
      // The temp folder is world-writable (/tmp), which StrictModes would refuse for the key file.
      '-o',
      'StrictModes=no',
      '-o',
      'PasswordAuthentication=no',
      '-o',
      'KbdInteractiveAuthentication=no',
      '-o',
      'PermitRootLogin=prohibit-password',
      '-o',
      `PidFile=${join(dir, 'sshd.pid')}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => appendLog(log, chunk));
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => ((await listening(port, address)) ? true : undefined),
      START_DEADLINE_MS,
      `sshd on ${address}:${port}`,
    );
  } catch (error) {
    const text = logOf(log);
    await stop();
    throw new Error(`${(error as Error).message}\n${text}`);
  }
  const hostPublic = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  const trustIn = (home: string, publicKey = hostPublic) => {
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const file = join(home, '.ssh', 'known_hosts');
    writeFileSync(file, `[${address}]:${port} ${publicKey}\n`, { mode: 0o600 });
    return file;
  };
  return {
    port,
    host: `ssh://root@${address}:${port}`,
    address,
    key,
    wrongKey,
    hostKey: hostPublic,
    trustIn,
    dir,
    stop,
  };
}

export interface TlsDockerd {
  port: number;
  /** tcp://127.0.0.1:<port> */
  host: string;
  /** ca.pem, cert.pem and key.pem of a client the engine accepts (DOCKER_CERT_PATH) */
  clientDir: string;
  /** a client certificate and key signed by ANOTHER CA, with that CA: the engine refuses them */
  strangerDir: string;
  dir: string;
  /** the docker CLI against this engine over TLS (the oracle) */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA in `dir` (ca.pem, ca-key.pem). */
function makeCa(dir: string, name: string): void {
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca-key.pem');
  openssl(dir, 'req', '-x509', '-new', '-key', 'ca-key.pem', '-days', '2', '-subj', `/CN=${name}`, '-out', 'ca.pem');
}

/** A certificate `<out>-cert.pem` with key `<out>-key.pem`, signed by the CA in `caDir`. */
function signCert(caDir: string, dir: string, out: string, subject: string, extensions: string): void {
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${out}-key.pem`);
  openssl(dir, 'req', '-new', '-key', `${out}-key.pem`, '-subj', `/CN=${subject}`, '-out', `${out}.csr`);
  writeFileSync(join(dir, `${out}.ext`), extensions);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${out}.csr`,
    '-CA',
    join(caDir, 'ca.pem'),
    '-CAkey',
    join(caDir, 'ca-key.pem'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${out}.ext`,
    '-out',
    `${out}-cert.pem`,
  );
}

/** A client folder as the docker CLI wants it (DOCKER_CERT_PATH): ca.pem, cert.pem, key.pem. */
function clientFolder(dir: string, ca: string, cert: string, key: string): void {
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(dir, 'ca.pem'), readFileSync(ca));
  writeFileSync(join(dir, 'cert.pem'), readFileSync(cert));
  writeFileSync(join(dir, 'key.pem'), readFileSync(key), { mode: 0o600 });
}

/**
 * A Linux bridge for the second engine's containers, named and numbered at random so that it meets no
 * other: btls<hex> on 10.234.<n>.1/24.
 */
function makeBridge(): string {
  const name = `btls${randomBytes(3).toString('hex')}`;
  const subnet = `10.234.${randomBytes(1)[0]}.1/24`;
  execFileSync('ip', ['link', 'add', name, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', subnet, 'dev', name]);
  execFileSync('ip', ['link', 'set', name, 'up']);
  return name;
}

/** Starts a second dockerd, TLS-verified on a free loopback port, with everything in a temp dir. */
export async function startTlsDockerd(): Promise<TlsDockerd> {
  // Short paths: containerd's sockets live under the exec root, and unix socket paths are limited to 108 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'btls-'));
  const pki = join(dir, 'pki');
  const other = join(dir, 'other-ca');
  mkdirSync(pki);
  mkdirSync(other);
  makeCa(pki, 'berth-test-ca');
  makeCa(other, 'berth-stranger-ca');
  signCert(pki, pki, 'server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signCert(pki, pki, 'client', 'berth-client', 'extendedKeyUsage=clientAuth\n');
  signCert(other, other, 'client', 'berth-stranger', 'extendedKeyUsage=clientAuth\n');
  const clientDir = join(dir, 'client');
  clientFolder(clientDir, join(pki, 'ca.pem'), join(pki, 'client-cert.pem'), join(pki, 'client-key.pem'));
  const strangerDir = join(dir, 'stranger');
  clientFolder(strangerDir, join(pki, 'ca.pem'), join(other, 'client-cert.pem'), join(other, 'client-key.pem'));

  const port = await freePort();
  const bridge = makeBridge();
  const log = join(dir, 'dockerd.log');
  const child = spawn(
    'dockerd',
    [
      '--tlsverify',
      `--tlscacert=${join(pki, 'ca.pem')}`,
      `--tlscert=${join(pki, 'server-cert.pem')}`,
      `--tlskey=${join(pki, 'server-key.pem')}`,
      `--host=tcp://127.0.0.1:${port}`,
      `--host=unix://${join(dir, 'd.sock')}`,
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'x')}`,
      `--pidfile=${join(dir, 'd.pid')}`,
      `--bridge=${bridge}`,
      '--iptables=false',
      '--ip-masq=false',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => appendLog(log, chunk));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: `tcp://127.0.0.1:${port}`,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: clientDir,
  };
  delete env.DOCKER_CONTEXT;
  const cli = async (...args: string[]) =>
    (await execFileAsync('docker', args, { env, maxBuffer: 16 << 20 })).stdout.trim();
  const stop = async () => {
    await stopProcess(child);
    // The engine's own mounts (overlay, shm) are gone once it has stopped; remove what it left.
    rmSync(dir, { recursive: true, force: true });
    execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
  };
  try {
    await waitFor(
      async () => ((await cli('version', '--format', '{{.Server.Version}}').catch(() => '')) ? true : undefined),
      START_DEADLINE_MS,
      `the TLS dockerd on ${port}`,
    );
  } catch (error) {
    const text = logOf(log);
    await stop();
    throw new Error(`${(error as Error).message}\n${text}`);
  }
  return { port, host: `tcp://127.0.0.1:${port}`, clientDir, strangerDir, dir, cli, stop };
}

/**
 * Imports a tiny image (this machine's static busybox as /bin/sh and friends) into an engine that has
 * none, through the docker CLI given. Returns its name.
 */
export async function importBusybox(
  cli: TlsDockerd['cli'],
  name: string,
  labels: Record<string, string>,
): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'berth-busybox-'));
  try {
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
    for (const tool of ['sh', 'echo', 'sleep', 'cat', 'mkdir', 'httpd'])
      symlinkSync('busybox', join(root, 'bin', tool));
    const tar = join(root, '..', `${name.replace(/[^a-z0-9]/g, '-')}.tar`);
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    try {
      const changes = Object.entries(labels).flatMap(([k, v]) => ['--change', `LABEL ${k}=${v}`]);
      await cli('import', ...changes, '--change', 'ENV PATH=/bin', tar, name);
    } finally {
      rmSync(tar, { force: true });
    }
    return name;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
