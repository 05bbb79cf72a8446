import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionError } from './connection-errors';
import { dockerOptions } from './docker-client';
import type { EngineEndpoint } from './endpoint';
import {
  fingerprint,
  hostKeyAlgorithms,
  hostKeyVerifier,
  knownHostName,
  knownHostsFiles,
  linesFor,
} from './known-hosts';

let dir: string;
/** Real ed25519 keys made by ssh-keygen: the `type base64` public part and its decoded blob. */
const keys: Record<string, { line: string; blob: Buffer; fingerprint: string }> = {};

function makeKey(name: string): void {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file], { stdio: 'ignore' });
  const [type, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  keys[name] = {
    line: `${type} ${base64}`,
    blob: Buffer.from(base64 ?? '', 'base64'),
    fingerprint: printed.split(' ')[1] ?? '',
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-known-hosts-'));
  makeKey('host');
  makeKey('impostor');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (text: string, host: string, port: number, key: Buffer) => {
  const file = join(dir, `known_hosts_${Math.random().toString(16).slice(2)}`);
  writeFileSync(file, text);
  const owner = {};
  return hostKeyVerifier(owner, host, port, [file, join(dir, 'missing')])(key);
};

describe('host names and fingerprints as ssh writes them', () => {
  it('looks hosts up as `host` on port 22 and `[host]:port` elsewhere', () => {
    expect(knownHostName('build.lan', 22)).toBe('build.lan');
    expect(knownHostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
    expect(knownHostName('[fd00::5]', 2222)).toBe('[fd00::5]:2222');
  });

  it('prints the SHA256 fingerprint ssh-keygen prints', () => {
    expect(fingerprint(keys.host?.blob ?? Buffer.alloc(0))).toBe(keys.host?.fingerprint);
  });

  it('reads the user files, then the machine ones', () => {
    expect(knownHostsFiles({ HOME: '/home/me' })).toEqual([
      '/home/me/.ssh/known_hosts',
      '/home/me/.ssh/known_hosts2',
      '/etc/ssh/ssh_known_hosts',
      '/etc/ssh/ssh_known_hosts2',
    ]);
  });
});

describe('checking a presented host key against known_hosts', () => {
  const host = () => keys.host as { line: string; blob: Buffer };
  const impostor = () => keys.impostor as { line: string; blob: Buffer };

  it('accepts the key known for [host]:port, and only for that port', () => {
    const text = `# a comment\n[127.0.0.1]:2222 ${host().line}\n`;
    expect(verify(text, '127.0.0.1', 2222, host().blob)).toBe(true);
    expect(verify(text, '127.0.0.1', 22, host().blob)).toBe(false);
    expect(verify(text, '127.0.0.1', 2222, impostor().blob)).toBe(false);
  });

  it('matches comma lists, wildcards and negations as ssh does', () => {
    expect(verify(`other,build.lan ${host().line}\n`, 'build.lan', 22, host().blob)).toBe(true);
    expect(verify(`*.lan ${host().line}\n`, 'build.lan', 22, host().blob)).toBe(true);
    expect(verify(`*.lan,!build.lan ${host().line}\n`, 'build.lan', 22, host().blob)).toBe(false);
    expect(verify(`build.la? ${host().line}\n`, 'build.lan', 22, host().blob)).toBe(true);
  });

  it('matches entries hashed by `ssh-keygen -H` (HashKnownHosts)', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `[127.0.0.1]:2222 ${host().line}\nbuild.lan ${impostor().line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).not.toContain('127.0.0.1');
    expect(verify(hashed, '127.0.0.1', 2222, host().blob)).toBe(true);
    expect(verify(hashed, 'build.lan', 22, impostor().blob)).toBe(true);
    expect(verify(hashed, 'build.lan', 22, host().blob)).toBe(false);
  });

  it('refuses a @revoked key even when another line lists it, and skips @cert-authority lines', () => {
    const text = `build.lan ${host().line}\n@revoked build.lan ${host().line}\n`;
    expect(verify(text, 'build.lan', 22, host().blob)).toBe(false);
    expect(verify(`@cert-authority build.lan ${host().line}\n`, 'build.lan', 22, host().blob)).toBe(false);
    expect(linesFor(`@cert-authority build.lan ${host().line}\n`, 'f', 'build.lan')).toEqual([]);
  });
});

describe('the error for a refused host key', () => {
  const endpoint = (): EngineEndpoint => ({ context: 'box', host: 'ssh://root@127.0.0.1:2222', source: 'chosen' });
  const denied = new Error('Host denied (verification failed)');

  it('an unknown host: the presented fingerprint and the ssh command that adds it after checking', () => {
    const at = endpoint();
    const file = join(dir, 'empty_known_hosts');
    writeFileSync(file, '');
    expect(hostKeyVerifier(at, '127.0.0.1', 2222, [file])(keys.host?.blob ?? Buffer.alloc(0))).toBe(false);
    const error = connectionError(at, denied);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('[127.0.0.1]:2222 is not in known_hosts');
    expect(error.message).toContain(keys.host?.fingerprint);
    expect(error.fix).toContain('ssh -p 2222 root@127.0.0.1');
  });

  it('a changed key: which file and line hold the old one, and how to remove it', () => {
    const at = endpoint();
    const file = join(dir, 'old_known_hosts');
    writeFileSync(file, `[127.0.0.1]:2222 ${keys.host?.line}\n`);
    expect(hostKeyVerifier(at, '127.0.0.1', 2222, [file])(keys.impostor?.blob ?? Buffer.alloc(0))).toBe(false);
    const error = connectionError(at, denied);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain(`${file} line 1`);
    expect(error.message).toContain(keys.impostor?.fingerprint);
    expect(error.fix).toContain("ssh-keygen -R '[127.0.0.1]:2222'");
  });

  it('every ssh:// client gets a verifier reading the known_hosts of the HOME it was given', () => {
    const options = dockerOptions(endpoint(), { HOME: dir, SSH_AUTH_SOCK: '/x' }) as {
      sshOptions: { hostVerifier?: (key: Buffer) => boolean };
    };
    expect(typeof options.sshOptions.hostVerifier).toBe('function');
    // No ~/.ssh/known_hosts under that HOME: unknown, refused.
    expect(options.sshOptions.hostVerifier?.(keys.host?.blob ?? Buffer.alloc(0))).toBe(false);
  });

  it("asks a host for the kind of key known for it first, as ssh does (an RSA-only entry is not 'changed')", () => {
    const file = join(dir, 'rsa_known_hosts');
    writeFileSync(file, `build.lan ssh-rsa AAAAB3NzaC1yc2E=\n@revoked old.lan ${keys.host?.line}\n`);
    expect(hostKeyAlgorithms('build.lan', 22, [file])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
    ]);
    expect(hostKeyAlgorithms('old.lan', 22, [file])).toBeUndefined();
    expect(hostKeyAlgorithms('new.lan', 22, [file])).toBeUndefined();
  });
});
