/**
 * The hostile-input table (issue 9): bad inputs for every procedure and stream, each expected to come back
 * as an error with a code, a message and a fix, and to change nothing. The same table runs through the
 * router against a fake engine (test/hostile-input.test.ts: nothing may reach the engine at all) and
 * against the real engine (test/hostile-input.engine.test.ts: `docker ps -a`, `docker images` and
 * `docker volume ls` unchanged). `hole` names the issue 9 hole a case reproduces.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Router } from '../electron/api/router';
import { BerthError, type ErrorCode } from '../electron/contract';

/** What the cases need from their surroundings. */
export interface HostileEnv {
  /** A local TCP listener that must never hear from Berth. */
  listenerPort: number;
  /** Folders made by makeHostileFixtures. */
  fixtures: HostileFixtures;
}

export interface HostileCase {
  name: string;
  /** The issue 9 hole this case reproduces, when it does. */
  hole?: 2 | 5 | 6 | 7;
  kind: 'call' | 'stream';
  target: string;
  input: (env: HostileEnv) => unknown;
  /** The field the error must name (dotted path), when the contract refuses it. */
  field?: string;
  /** Defaults to INVALID_INPUT. */
  code?: ErrorCode;
  /** Text that must never appear in the error (e.g. the contents of /etc/passwd). */
  mustNotContain?: RegExp;
}

export interface HostileFixtures {
  root: string;
  /** A context whose Dockerfile is a symlink to /etc/passwd. */
  dockerfileLink: string;
  /** A context with a folder `etc` that is a symlink to /etc. */
  folderLink: string;
  /** A plain context with a real Dockerfile. */
  plain: string;
}

export function makeHostileFixtures(): HostileFixtures {
  const root = mkdtempSync(join(tmpdir(), 'berth-hostile-'));
  const dockerfileLink = join(root, 'dockerfile-link');
  const folderLink = join(root, 'folder-link');
  const plain = join(root, 'plain');
  for (const dir of [dockerfileLink, folderLink, plain]) mkdirSync(dir);
  symlinkSync('/etc/passwd', join(dockerfileLink, 'Dockerfile'));
  symlinkSync('/etc', join(folderLink, 'etc'));
  writeFileSync(join(plain, 'Dockerfile'), 'FROM scratch\n');
  return { root, dockerfileLink, folderLink, plain };
}

export function removeHostileFixtures(fixtures: HostileFixtures): void {
  rmSync(fixtures.root, { recursive: true, force: true });
}

const PASSWD = /root:.*:0:0:/;

// ───────────────────────────── Values ─────────────────────────────

/** Container ids and names that must never reach an engine URL (hole 2 first). */
const badContainerIds: Array<[string, (env: HostileEnv) => unknown, boolean]> = [
  ['redirect to /images/json', () => '../../images/json', true],
  ['redirect to a local listener', (env) => `../../127.0.0.1:${env.listenerPort}/x`, true],
  ['a bare ..', () => '..', true],
  ['a bare .', () => '.', true],
  ['%-encoded dots', () => '%2e%2e/%2e%2e/images/json', true],
  ['a slash', () => 'abc/def', false],
  ['a query string', () => 'abc?force=1', false],
  ['a fragment', () => 'abc#x', false],
  ['empty', () => '', false],
  ['blank', () => ' ', false],
  ['one character', () => 'a', false],
  ['a leading dash', () => '-rf', false],
  ['a leading slash', () => '/abc', false],
  ['a space inside', () => 'a b', false],
  ['a NUL byte', () => 'abc\u0000def', false],
  ['too long', () => 'a'.repeat(200), false],
  ['a number', () => 1234567890123, false],
  ['null', () => null, false],
  ['an array', () => ['abc'], false],
];

/** Image references that are not references (paths, case, length, ids of the wrong size). */
const badImageRefs: Array<[string, (env: HostileEnv) => unknown, boolean]> = [
  ['redirect to /images/json', () => '../../images/json', true],
  ['redirect to a local listener', (env) => `../../127.0.0.1:${env.listenerPort}/x`, true],
  ['upper case', () => 'Notas-IV:latest', false],
  ['empty', () => '', false],
  ['a space', () => 'notas iv', false],
  ['a query string', () => 'notas?x=1', false],
  ['a double slash', () => 'a//b', false],
  ['a trailing colon', () => 'notas:', false],
  ['a short digest', () => 'notas@sha256:abc', false],
  ['a repository over 255 characters', () => `${'a'.repeat(256)}:1`, false],
  ['a number', () => 42, false],
];

const badPorts: Array<[string, unknown]> = [
  ['true', true],
  ['[8080]', [8080]],
  ['"0x1F90"', '0x1F90'],
  ['"8080"', '8080'],
  ['0', 0],
  ['65536', 65536],
  ['-1', -1],
  ['1.5', 1.5],
  ['null', null],
  ['an object', { port: 8080 }],
];

const badHostIps: Array<[string, unknown]> = [
  ['not an ip', 'not an ip'],
  ['empty', ''],
  ['a host name', 'localhost'],
  ['an octet over 255', '1.2.3.256'],
  ['leading space', ' 127.0.0.1'],
  ['an IPv6 zone', 'fe80::1%lo'],
  ['IPv6 in brackets', '[::1]'],
];

const badRegistries: Array<[string, string]> = [
  ['file:///etc/passwd', 'file:///etc/passwd'],
  ['a blank', ' '],
  ['empty', ''],
  ['an https URL with a path', 'https://registry.example.com/v2/'],
  ['a path', 'registry.example.com/team'],
  ['user@host', 'user@registry.example.com'],
  ['an open bracket', '[::1'],
  ['a port over 65535', 'registry.example.com:99999'],
  ['a newline', 'registry.example.com\n'],
  ['a trailing space', 'docker.io '],
  ['a query string', 'registry.example.com?x=1'],
];

// ───────────────────────────── Cases ─────────────────────────────

const CONTAINER_PROCEDURES = [
  'containers.start',
  'containers.stop',
  'containers.restart',
  'containers.remove',
  'containers.recreate',
  'files.list',
] as const;
/** What each of those needs besides the id. */
const CONTAINER_EXTRAS: Partial<Record<(typeof CONTAINER_PROCEDURES)[number], object>> = {
  'containers.remove': { force: true },
  'files.list': { path: '/' },
};

const validRun = { image: 'berth-hostile-never:1', name: 'berth-hostile-never' };
const credentials = { username: 'berth', password: 'not-a-real-password' };

function cases(): HostileCase[] {
  const list: HostileCase[] = [];
  for (const [label, id, hole2] of badContainerIds) {
    for (const target of CONTAINER_PROCEDURES) {
      list.push({
        name: `${target} with an id that is ${label}`,
        ...(hole2 && { hole: 2 as const }),
        kind: 'call',
        target,
        input: (env) => ({ id: id(env), ...CONTAINER_EXTRAS[target] }),
        field: 'id',
      });
    }
    list.push({
      name: `logs stream with an id that is ${label}`,
      ...(hole2 && { hole: 2 as const }),
      kind: 'stream',
      target: 'logs',
      input: (env) => ({ id: id(env) }),
      field: 'id',
    });
  }
  for (const [label, ref, hole2] of badImageRefs) {
    for (const target of ['images.layers', 'images.explore', 'images.remove'] as const) {
      list.push({
        name: `${target} with a reference that is ${label}`,
        ...(hole2 && { hole: 2 as const }),
        kind: 'call',
        target,
        input: (env) => (target === 'images.remove' ? { ref: ref(env), force: true } : { ref: ref(env) }),
        field: 'ref',
      });
    }
    list.push({
      name: `images.diff from a reference that is ${label}`,
      kind: 'call',
      target: 'images.diff',
      input: (env) => ({ from: ref(env), to: 'berth-hostile-never:1' }),
      field: 'from',
    });
    list.push({
      name: `images.tag to a target that is ${label}`,
      ...(label.includes('255') && { hole: 7 as const }),
      kind: 'call',
      target: 'images.tag',
      input: (env) => ({ source: 'berth-hostile-never:1', target: ref(env) }),
      field: 'target',
    });
    list.push({
      name: `push.start from a source that is ${label}`,
      kind: 'call',
      target: 'push.start',
      input: (env) => ({ source: ref(env), target: '127.0.0.1:5999/berth-hostile-never:1' }),
      field: 'source',
    });
  }
  for (const [label, registry] of badRegistries) {
    list.push({
      name: `registry.login to ${label}`,
      hole: 5,
      kind: 'call',
      target: 'registry.login',
      input: () => ({ registry, ...credentials }),
      field: 'registry',
    });
    list.push({
      name: `registry.logout of ${label}`,
      kind: 'call',
      target: 'registry.logout',
      input: () => ({ registry }),
      field: 'registry',
    });
  }
  list.push({
    name: 'push.start with another tag that is not a tag',
    kind: 'call',
    target: 'push.start',
    input: () => ({
      source: 'berth-hostile-never:1',
      target: '127.0.0.1:5999/berth-hostile-never:1',
      alsoTags: ['../latest'],
    }),
    field: 'alsoTags.0',
  });
  list.push({
    name: 'push.start with credentials for file:///etc/passwd',
    hole: 5,
    kind: 'call',
    target: 'push.start',
    input: () => ({
      source: 'berth-hostile-never:1',
      target: '127.0.0.1:5999/berth-hostile-never:1',
      credentials: { registry: 'file:///etc/passwd', ...credentials },
    }),
    field: 'credentials.registry',
  });
  for (const [label, port] of badPorts) {
    for (const key of ['hostPort', 'containerPort'] as const) {
      list.push({
        name: `containers.run with ${key} ${label}`,
        hole: 7,
        kind: 'call',
        target: 'containers.run',
        input: () => ({
          ...validRun,
          ports: [{ hostPort: 18080, containerPort: 5000, [key]: port }],
        }),
        field: `ports.0.${key}`,
      });
    }
    list.push({
      name: `ports.suggest with preferred ${label}`,
      hole: 7,
      kind: 'call',
      target: 'ports.suggest',
      input: () => ({ preferred: port }),
      field: 'preferred',
    });
  }
  for (const [label, hostIp] of badHostIps) {
    list.push({
      name: `containers.run with hostIp ${label}`,
      hole: 7,
      kind: 'call',
      target: 'containers.run',
      input: () => ({ ...validRun, ports: [{ hostIp, hostPort: 18080, containerPort: 5000 }] }),
      field: 'ports.0.hostIp',
    });
    list.push({
      name: `ports.suggest with hostIp ${label}`,
      hole: 7,
      kind: 'call',
      target: 'ports.suggest',
      input: () => ({ hostIp }),
      field: 'hostIp',
    });
  }
  const volumeCases: Array<[string, object, string]> = [
    ['a volume source containing ":"', { source: '/tmp/a:b', target: '/data' }, 'volumes.0.source'],
    ['a relative volume source', { source: 'data/x', target: '/data' }, 'volumes.0.source'],
    ['a one-letter volume name', { source: 'v', target: '/data' }, 'volumes.0.source'],
    ['a relative container path', { source: 'berth-vol', target: 'data' }, 'volumes.0.target'],
    ['a container path containing ":"', { source: 'berth-vol', target: '/data:/y' }, 'volumes.0.target'],
    ['a read-only flag that is text', { source: 'berth-vol', target: '/data', readOnly: 'yes' }, 'volumes.0.readOnly'],
  ];
  for (const [label, volume, field] of volumeCases) {
    list.push({
      name: `containers.run with ${label}`,
      hole: 7,
      kind: 'call',
      target: 'containers.run',
      input: () => ({ ...validRun, volumes: [volume] }),
      field,
    });
  }
  const runCases: Array<[string, object, string]> = [
    ['a one-letter name', { name: 'x' }, 'name'],
    ['a name with a slash', { name: 'a/../../b' }, 'name'],
    ['an env name with "="', { env: { 'A=B': 'x' } }, 'env.A=B'],
    ['an env value that is a number', { env: { A: 1 } }, 'env.A'],
    ['an unknown field', { privileged: true }, '(input)'],
    [
      'a protocol that is not tcp or udp',
      { ports: [{ hostPort: 18080, containerPort: 1, protocol: 'icmp' }] },
      'ports.0.protocol',
    ],
    ['a command that is not a list', { command: 'rm -rf /' }, 'command'],
  ];
  for (const [label, patch, field] of runCases) {
    list.push({
      name: `containers.run with ${label}`,
      kind: 'call',
      target: 'containers.run',
      input: () => ({ ...validRun, ...patch }),
      field,
    });
  }
  list.push({
    name: 'build.start with a Dockerfile that is a symlink to /etc/passwd',
    hole: 7,
    kind: 'call',
    target: 'build.start',
    input: (env) => ({ contextDir: env.fixtures.dockerfileLink }),
    field: 'dockerfile',
    mustNotContain: PASSWD,
  });
  list.push({
    name: 'build.start with a Dockerfile in a folder that is a symlink to /etc',
    hole: 7,
    kind: 'call',
    target: 'build.start',
    input: (env) => ({ contextDir: env.fixtures.folderLink, dockerfile: 'etc/passwd' }),
    field: 'dockerfile',
    mustNotContain: PASSWD,
  });
  list.push({
    name: 'build.start with a Dockerfile path leaving the context',
    kind: 'call',
    target: 'build.start',
    input: (env) => ({ contextDir: env.fixtures.plain, dockerfile: '../../../../etc/passwd' }),
    field: 'dockerfile',
    mustNotContain: PASSWD,
  });
  const buildCases: Array<[string, object, string]> = [
    ['a tag in upper case', { tags: ['Notas:1'] }, 'tags.0'],
    ['a tag over 255 characters', { tags: [`${'a'.repeat(256)}:1`] }, 'tags.0'],
    ['a target stage that is an option', { target: '--output=/' }, 'target'],
    ['a build arg name with "="', { buildArgs: { 'A=B': '1' } }, 'buildArgs.A=B'],
    ['a build arg value that is a number', { buildArgs: { SECRET_TOKEN: 1 } }, 'buildArgs.SECRET_TOKEN'],
    ['noCache that is text', { noCache: 'yes' }, 'noCache'],
    ['an unknown builder', { builder: 'kaniko' }, 'builder'],
  ];
  for (const [label, patch, field] of buildCases) {
    list.push({
      name: `build.start with ${label}`,
      kind: 'call',
      target: 'build.start',
      input: (env) => ({ contextDir: env.fixtures.plain, ...patch }),
      field,
    });
  }
  const idCases: Array<[string, string, object, string]> = [
    ['build.get with a path as build id', 'build.get', { buildId: '../../etc/passwd' }, 'buildId'],
    ['build.cancel with an empty build id', 'build.cancel', { buildId: '' }, 'buildId'],
    ['engine.useContext with a path', 'engine.useContext', { name: '../../../etc' }, 'name'],
    ['engine.useContext with an empty name', 'engine.useContext', { name: '' }, 'name'],
    ['app.openExternal with a file URL', 'app.openExternal', { url: 'file:///etc/passwd' }, 'url'],
    [
      'logs.downloadLink with a path as container id',
      'logs.downloadLink',
      { selection: { by: 'containers', ids: ['../../etc/passwd'] } },
      'selection.ids.0',
    ],
    [
      'logs.downloadLink with a range that ends before it starts',
      'logs.downloadLink',
      { selection: { by: 'containers', ids: ['berth-hostile-never'] }, since: 2000, until: 1000 },
      'until',
    ],
    [
      'logs.downloadLink with an unknown format',
      'logs.downloadLink',
      { selection: { by: 'containers', ids: ['berth-hostile-never'] }, format: 'html' },
      'format',
    ],
  ];
  for (const [name, target, input, field] of idCases) {
    list.push({ name, kind: 'call', target, input: () => input, field });
  }
  // Last session's features: adding an engine, edit and recreate, compose projects, disk clean-ups, terminals.
  const ssh = { kind: 'ssh', name: 'berth-hostile-ssh', user: 'berth', host: 'buildbox.lan' };
  const tls = {
    kind: 'tls',
    name: 'berth-hostile-tls',
    host: '10.0.0.5',
    port: 2376,
    ca: '/tmp/ca.pem',
    cert: '/tmp/cert.pem',
    key: '/tmp/key.pem',
  };
  const hex = 'a'.repeat(64);
  const addContext = (what: string, input: object, field: string): [string, string, object, string] => [
    `engine.addContext with ${what}`,
    'engine.addContext',
    input,
    field,
  ];
  const featureCases: Array<[string, string, object, string]> = [
    addContext('an ssh host that is an option', { ...ssh, host: '-oProxyCommand=touch /tmp/x' }, 'host'),
    addContext('an ssh user that is an option', { ...ssh, user: '-oProxyCommand=sh' }, 'user'),
    addContext('an ssh host carrying a user and port', { ...ssh, host: 'me@box:22' }, 'host'),
    addContext('a relative key path', { ...ssh, identityFile: '../.ssh/id_rsa' }, 'identityFile'),
    addContext('a TLS key path holding a newline', { ...tls, key: '/tmp/k\n.pem' }, 'key'),
    addContext('a relative CA path', { ...tls, ca: 'ca.pem' }, 'ca'),
    addContext('a context name that is a path', { ...ssh, name: '../../x' }, 'name'),
    addContext('the reserved name "default"', { ...ssh, name: 'default' }, 'name'),
    ['engine.addContext skipping TLS verification', 'engine.addContext', { ...tls, skipTlsVerify: true }, '(input)'],
    [
      'containers.edit making the container privileged',
      'containers.edit',
      { id: 'berth-hostile-never', changes: { privileged: true } },
      'changes',
    ],
    [
      'containers.edit adding a capability',
      'containers.edit',
      { id: 'berth-hostile-never', changes: { capAdd: ['SYS_ADMIN'] } },
      'changes',
    ],
    [
      'containers.editPreview with a relative volume source',
      'containers.editPreview',
      { id: 'berth-hostile-never', changes: { volumes: [{ source: '../x', target: '/x' }] } },
      'changes.volumes.0.source',
    ],
    [
      'compose.action remove without the confirmed containers',
      'compose.action',
      { project: 'shop', action: 'remove' },
      'ids',
    ],
    [
      'compose.action remove naming a path',
      'compose.action',
      { project: 'shop', action: 'remove', ids: ['../../images/json'] },
      'ids.0',
    ],
    [
      'compose.action on a project that is a label filter',
      'compose.action',
      { project: 'x=y', action: 'stop' },
      'project',
    ],
    ['disk.clean of ids that are paths', 'disk.clean', { kind: 'unused-volumes', ids: ['../../images/json'] }, 'ids.0'],
    ['disk.clean of an unknown kind', 'disk.clean', { kind: 'everything', ids: [] }, 'kind'],
    [
      'disk.preview with a label key that is a path',
      'disk.preview',
      { kind: 'unused-volumes', labels: { '../x': 'y' } },
      'labels.../x',
    ],
    ['build.trace of a path', 'build.trace', { buildId: '../../etc/passwd' }, 'buildId'],
  ];
  for (const [name, target, input, field] of featureCases) {
    list.push({ name, kind: 'call', target, input: () => input, field });
  }
  const size = { cols: 80, rows: 24 };
  const terminalCases: Array<[string, object, string]> = [
    [
      'terminal with a container id that is a path',
      { target: { kind: 'exec', container: '../../images/json' }, size },
      'target.container',
    ],
    [
      'terminal with a shell that is a command',
      { target: { kind: 'exec', container: hex, shell: 'sh -c "rm -rf /"' }, size },
      'target.shell',
    ],
    [
      'terminal with a debug build id that is a path',
      { target: { kind: 'debug', buildId: '../../x' }, size },
      'target.buildId',
    ],
    [
      'terminal with a debug step that is not a step',
      { target: { kind: 'debug', buildId: 'b1', stepId: '../1' }, size },
      'target.stepId',
    ],
    [
      'terminal with a size of 0 columns',
      { target: { kind: 'exec', container: hex }, size: { cols: 0, rows: 24 } },
      'size.cols',
    ],
    [
      'terminal with a size of 100000 rows',
      { target: { kind: 'exec', container: hex }, size: { cols: 80, rows: 100_000 } },
      'size.rows',
    ],
    [
      'terminal with a command to run',
      { target: { kind: 'exec', container: hex, cmd: ['rm', '-rf', '/'] }, size },
      'target',
    ],
  ];
  for (const [name, params, field] of terminalCases) {
    list.push({ name, kind: 'stream', target: 'terminal', input: () => params, field });
  }
  // Files of a container: ids, container paths, file names and sizes are refused before the engine is asked.
  const never = 'berth-hostile-never';
  const filePaths: Array<[string, unknown]> = [
    ['a relative path', 'etc/passwd'],
    ['.. above /', '/../etc/passwd'],
    ['a NUL byte', '/etc/pass\u0000wd'],
    ['5,000 characters', `/${'a'.repeat(5000)}`],
    ['a number', 42],
  ];
  for (const [label, path] of filePaths) {
    for (const target of ['files.list', 'files.downloadLink', 'files.copyOut'])
      list.push({
        name: `${target} with a path that is ${label}`,
        kind: 'call',
        target,
        input: () => ({ id: never, path }),
        field: 'path',
      });
    list.push({
      name: `files.uploadLink into a folder that is ${label}`,
      kind: 'call',
      target: 'files.uploadLink',
      input: () => ({ id: never, folder: path, name: 'x', sizeBytes: 1 }),
      field: 'folder',
    });
  }
  for (const [label, name] of [
    ['..', '..'],
    ['a path', '../../etc/cron.d/x'],
    ['a slash', 'a/b'],
    ['a NUL byte', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['empty', ''],
  ] as const)
    list.push({
      name: `files.uploadLink with a file name that is ${label}`,
      kind: 'call',
      target: 'files.uploadLink',
      input: () => ({ id: never, folder: '/tmp', name, sizeBytes: 1 }),
      field: 'name',
    });
  for (const [label, sizeBytes] of [
    ['over the upload limit', 2 ** 31],
    ['negative', -1],
    ['fractional', 1.5],
  ] as const)
    list.push({
      name: `files.uploadLink with a size that is ${label}`,
      kind: 'call',
      target: 'files.uploadLink',
      input: () => ({ id: never, folder: '/tmp', name: 'x', sizeBytes }),
      field: 'sizeBytes',
    });
  for (const [name, target, params, field] of [
    ['build stream with a path as build id', 'build', { buildId: '../x' }, 'buildId'],
    ['push stream with a path as push id', 'push', { pushId: '../x' }, 'pushId'],
    ['logs stream with a tail that is text', 'logs', { id: 'berth-hostile-never', tail: '10' }, 'tail'],
    ['logs stream with a negative tail', 'logs', { id: 'berth-hostile-never', tail: -1 }, 'tail'],
    [
      'logs.export stream with a path as container id',
      'logs.export',
      { selection: { by: 'containers', ids: ['../x'] } },
      'selection.ids.0',
    ],
  ] as const) {
    list.push({ name, kind: 'stream', target, input: () => params, field });
  }
  return list;
}

export const HOSTILE_CASES: readonly HostileCase[] = cases();

/** Runs one case through the router; resolves with the error it got (rejects if it got none). */
export async function runHostileCase(router: Router, c: HostileCase, env: HostileEnv): Promise<BerthError> {
  const input = c.input(env);
  if (c.kind === 'call') {
    try {
      await router.call(c.target, input);
    } catch (error) {
      if (error instanceof BerthError) return error;
      throw error;
    }
    throw new Error(`${c.name}: the call succeeded`);
  }
  return new Promise<BerthError>((resolve, reject) => {
    const stop = router.subscribe(
      c.target,
      input,
      () => {
        stop();
        reject(new Error(`${c.name}: the stream emitted an event`));
      },
      resolve,
      () => reject(new Error(`${c.name}: the stream ended without an error`)),
    );
  });
}

/** The checks every case shares: code, message, fix, the field named, and nothing secret shown. */
export function checkHostileError(c: HostileCase, error: BerthError): string[] {
  const problems: string[] = [];
  const expected = c.code ?? 'INVALID_INPUT';
  if (error.code !== expected) problems.push(`code ${error.code}, expected ${expected} (${error.message})`);
  if (!error.message.trim()) problems.push('empty message');
  if (!error.fix?.trim()) problems.push('no fix');
  if (c.field && !error.fields?.[c.field]) {
    problems.push(`fields ${JSON.stringify(Object.keys(error.fields ?? {}))} do not name ${c.field}`);
  }
  const shown = JSON.stringify(error.toShape());
  if (c.mustNotContain?.test(shown)) problems.push(`the error shows ${c.mustNotContain}`);
  if (/\n\s+at /.test(shown)) problems.push('the error carries a stack trace');
  return problems;
}

/**
 * The connection's own health and capability checks (GET /_ping, /version, /info: read-only), the only engine
 * requests a refused case may cause. Anything else reaching the engine is a hole.
 */
export const isHealthCheck = (line: string): boolean => /^(GET|HEAD) \/(v[\d.]+\/)?(_ping|version|info)\b/.test(line);
