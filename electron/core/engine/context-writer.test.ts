import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEngine } from '../../contract';
import { contextKey, readContext } from './context-store';
import { engineAddress, writeContext } from './context-writer';
import { resolveEndpoint } from './endpoint';

/** The real docker CLI, reading only the temp config folder (it does not contact any engine). */
const cli = (config: string, ...args: string[]): string =>
  execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '' }, encoding: 'utf8' });

let dir: string;
let config: string;
let ca: string;
let cert: string;
let key: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-contexts-'));
  config = join(dir, 'config');
  mkdirSync(config);
  key = join(dir, 'key.pem');
  cert = join(dir, 'cert.pem');
  ca = join(dir, 'ca.pem');
  // A real self-signed certificate and its key, made with openssl for this test.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=berth-test', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' }); // biome-ignore format: one argument list
  writeFileSync(ca, readFileSync(cert));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('saving an engine as a docker context', () => {
  it('writes the CLI format: `docker context ls` lists a TLS, an ssh and a socket context with their addresses', () => {
    writeContext(
      config,
      NewEngine.parse({ kind: 'tls', name: 'tls-box', host: '10.0.0.5', port: 2376, ca, cert, key }),
    );
    writeContext(
      config,
      NewEngine.parse({
        kind: 'ssh',
        name: 'build.box',
        user: 'deploy',
        host: 'build.lan',
        port: 2222,
        identityFile: key,
      }),
    );
    writeContext(
      config,
      NewEngine.parse({
        kind: 'unix',
        name: 'local+1',
        description: 'same engine',
        socketPath: '/var/run/docker.sock',
      }),
    );
    const listed = cli(config, 'context', 'ls', '--format', '{{json .}}')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { Name: string; DockerEndpoint: string; Description: string; Error: string });
    const byName = Object.fromEntries(listed.map((c) => [c.Name, c]));
    expect(byName['tls-box']).toMatchObject({ DockerEndpoint: 'tcp://10.0.0.5:2376', Error: '' });
    expect(byName['build.box']).toMatchObject({ DockerEndpoint: 'ssh://deploy@build.lan:2222', Error: '' });
    expect(byName['local+1']).toMatchObject({
      DockerEndpoint: 'unix:///var/run/docker.sock',
      Description: 'same engine',
    });

    // The TLS files are where the CLI keeps them, readable by this user only, and the CLI uses them.
    const tlsDir = join(config, 'contexts', 'tls', contextKey('tls-box'), 'docker');
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) expect(statSync(join(tlsDir, file)).mode & 0o777).toBe(0o600);
    expect(statSync(tlsDir).mode & 0o777).toBe(0o700);
    const inspected = JSON.parse(cli(config, 'context', 'inspect', 'tls-box')) as Array<{
      Storage: { TLSPath: string };
      TLSMaterial: { docker?: string[] };
    }>;
    expect(inspected[0]?.TLSMaterial.docker?.sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem']);

    // And Berth reads back what it wrote: the TLS folder and the ssh key path.
    expect(resolveEndpoint({}, config, 'tls-box')).toMatchObject({
      host: 'tcp://10.0.0.5:2376',
      tls: { certDir: tlsDir, verify: true },
    });
    expect(resolveEndpoint({}, config, 'build.box')).toMatchObject({ identityFile: key });
  });

  it('refuses a taken name with CONFLICT and leaves the existing context as it was', () => {
    cli(config, 'context', 'create', 'taken', '--docker', 'host=unix:///var/run/docker.sock');
    const before = readContext(config, 'taken');
    expect(() =>
      writeContext(config, NewEngine.parse({ kind: 'ssh', name: 'taken', user: 'root', host: '127.0.0.1' })),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(readContext(config, 'taken')).toEqual(before);
  });

  it('names the file to fix (missing, a folder, not PEM, a certificate given as key) and writes nothing', () => {
    const notPem = join(dir, 'notes.txt');
    writeFileSync(notPem, 'hello');
    const cases: Array<[Partial<Record<'ca' | 'cert' | 'key', string>>, string, string]> = [
      [{ ca: join(dir, 'nope.pem') }, 'ca', `${join(dir, 'nope.pem')} does not exist`],
      [{ cert: dir }, 'cert', `${dir} is not a regular file`],
      [{ ca: notPem }, 'ca', `${notPem} is not a PEM certificate`],
      [{ key: cert }, 'key', `${cert} is not a PEM private key`],
    ];
    for (const [files, field, message] of cases) {
      const input = NewEngine.parse({ kind: 'tls', name: 'bad', host: 'h.lan', port: 2376, ca, cert, key, ...files });
      expect(() => writeContext(config, input)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: `${message}.`, fields: { [field]: [message] } }),
      );
    }
    expect(readContext(config, 'bad')).toBeUndefined();
    expect(() => statSync(join(config, 'contexts'))).toThrow();
  });

  it('follows a symlink to a real key file, but refuses an encrypted key with the way out', () => {
    const link = join(dir, 'link.pem');
    symlinkSync(key, link);
    expect(() =>
      writeContext(config, NewEngine.parse({ kind: 'tls', name: 'linked', host: 'h', port: 1, ca, cert, key: link })),
    ).not.toThrow();
    const encrypted = join(dir, 'enc.pem');
    execFileSync('openssl', ['pkey', '-in', key, '-aes256', '-passout', 'pass:secret', '-out', encrypted]);
    expect(() =>
      writeContext(
        config,
        NewEngine.parse({ kind: 'ssh', name: 'enc', user: 'me', host: 'h', identityFile: encrypted }),
      ),
    ).toThrow(/encrypted private key/);
  });
});

describe('the shape of a new engine', () => {
  const ok = { kind: 'tls', name: 'box', host: 'h.lan', port: 2376, ca: '/a', cert: '/b', key: '/c' } as const;
  it.each([
    ['a one-letter name (the CLI needs 2+)', { name: 'a' }],
    ['the reserved name "default"', { name: 'default' }],
    ['a name with a slash', { name: 'a/b' }],
    ['a name starting with a dot', { name: '.box' }],
    ['a host with a scheme', { host: 'tcp://h' }],
    ['a host with a port', { host: 'h:2376' }],
    ['a host with a path', { host: 'h/x' }],
    ['a host that is a bad IPv4', { host: '300.1.1.1' }],
    ['port 0', { port: 0 }],
    ['port 70000', { port: 70000 }],
    ['a port as text', { port: '2376' }],
    ['a relative CA path', { ca: 'ca.pem' }],
    ['a path with a newline', { key: '/a\nb' }],
    ['an unknown field', { verify: false }],
  ])('refuses %s', (_what, change) => {
    expect(NewEngine.safeParse({ ...ok, ...change }).success).toBe(false);
  });

  it('refuses an ssh user with @ or a space, and accepts IPv6 hosts (bracketed in the address)', () => {
    expect(NewEngine.safeParse({ kind: 'ssh', name: 'sx', user: 'a@b', host: 'h' }).success).toBe(false);
    expect(NewEngine.safeParse({ kind: 'ssh', name: 'sx', user: 'a b', host: 'h' }).success).toBe(false);
    const v6 = NewEngine.parse({ kind: 'ssh', name: 'sx', user: 'root', host: '::1', port: 22 });
    expect(engineAddress(v6)).toBe('ssh://root@[::1]:22');
    expect(engineAddress(NewEngine.parse(ok))).toBe('tcp://h.lan:2376');
  });
});
