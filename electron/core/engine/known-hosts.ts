/**
 * SSH host-key verification the way OpenSSH's client does it, for ssh:// engines. dockerode's ssh2
 * connection accepts ANY host key unless given a verifier, so a man in the middle could take the engine
 * (root on the host, in effect). Berth checks the key the server presents against the same known_hosts
 * files `ssh` (and so `docker --context`) reads: ~/.ssh/known_hosts(2), then /etc/ssh/ssh_known_hosts(2).
 * - Host names are looked up as ssh does: `host` on port 22, `[host]:port` otherwise; plain, wildcard
 *   (`*`, `?`, negated `!`) and hashed (`|1|salt|hash`) entries all match.
 * - A matching key is accepted; a `@revoked` key is refused; no entry for the host is refused as unknown;
 *   entries for the host that hold other keys are refused as a mismatch.
 * - `@cert-authority` lines (host certificates) are not supported and are skipped.
 * Berth never writes known_hosts: the fix it names is the user's `ssh` run, where they compare the
 * fingerprint themselves.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../../contract';

type Env = Record<string, string | undefined>;

/** The files ssh reads, in its order: the user's, then the machine's. */
export function knownHostsFiles(env: Env): string[] {
  const ssh = join(env.HOME || homedir(), '.ssh');
  return [join(ssh, 'known_hosts'), join(ssh, 'known_hosts2'), '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
}

/** The name ssh looks a host up by: `host` on port 22, `[host]:port` on any other. */
export function knownHostName(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return port === 22 ? bare : `[${bare}]:${port}`;
}

/** `SHA256:<base64 without padding>`, the fingerprint ssh prints. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public-key blob (its first length-prefixed string). */
function blobType(key: Buffer): string {
  if (key.length < 4) return '';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

function globMatch(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

function hashedMatch(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** Whether the comma-separated host patterns of a line name `name` (a negated match wins). */
function hostsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else if (globMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

export interface KnownHostLine {
  file: string;
  line: number;
  revoked: boolean;
  type: string;
  key: Buffer;
}

/** The lines of `text` (one known_hosts file) that name `name`. */
export function linesFor(text: string, file: string, name: string): KnownHostLine[] {
  const found: KnownHostLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker = '';
    if (fields[0].startsWith('@')) marker = fields.shift() ?? '';
    if (marker === '@cert-authority') return;
    const [patterns, type, base64] = fields;
    if (!patterns || !type || !base64 || !hostsMatch(patterns, name)) return;
    found.push({ file, line: index + 1, revoked: marker === '@revoked', type, key: Buffer.from(base64, 'base64') });
  });
  return found;
}

export type HostKeyVerdict =
  | { state: 'known'; line: KnownHostLine }
  | { state: 'revoked'; line: KnownHostLine }
  | { state: 'mismatch'; lines: KnownHostLine[] }
  | { state: 'unknown' };

/** What the known_hosts entries for `name` say about the key the server presented. */
export function hostKeyVerdict(lines: KnownHostLine[], key: Buffer): HostKeyVerdict {
  const same = lines.filter((l) => l.key.equals(key));
  const revoked = same.find((l) => l.revoked);
  if (revoked) return { state: 'revoked', line: revoked };
  const known = same.find((l) => !l.revoked);
  if (known) return { state: 'known', line: known };
  const others = lines.filter((l) => !l.revoked);
  return others.length > 0 ? { state: 'mismatch', lines: others } : { state: 'unknown' };
}

function readKnownHosts(files: string[], name: string): KnownHostLine[] {
  return files.flatMap((file) => {
    try {
      return linesFor(readFileSync(file, 'utf8'), file, name);
    } catch {
      return []; // a missing or unreadable file holds no entries, as for ssh
    }
  });
}

/** ssh2's host-key algorithms, in its default order; an `ssh-rsa` key is also offered as rsa-sha2-*. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];
const algorithmsOf = (type: string): string[] =>
  type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];

/**
 * The host-key algorithms to offer, those of the keys known for the host first, as ssh orders them: a host
 * known by its RSA key is then asked for that key, not refused for offering its ed25519 one first.
 * Undefined (ssh2's default) when nothing is known for the host.
 */
export function hostKeyAlgorithms(host: string, port: number, files: string[]): string[] | undefined {
  const known = new Set(
    readKnownHosts(files, knownHostName(host, port))
      .filter((l) => !l.revoked)
      .flatMap((l) => algorithmsOf(l.type)),
  );
  if (known.size === 0) return undefined;
  const first = HOST_KEY_ALGORITHMS.filter((a) => known.has(a));
  return [...first, ...HOST_KEY_ALGORITHMS.filter((a) => !known.has(a))];
}

export interface HostKeyRefusal {
  verdict: Exclude<HostKeyVerdict, { state: 'known' }>;
  name: string;
  presented: { type: string; fingerprint: string };
  files: string[];
}

/** The refusal each verifier made last, by the object it was made for (the endpoint of one client). */
const refusals = new WeakMap<object, HostKeyRefusal>();

/** Why the host key of `owner`'s last connection was refused, if it was. */
export function hostKeyRefusal(owner: object): HostKeyRefusal | undefined {
  return refusals.get(owner);
}

/**
 * An ssh2 `hostVerifier` for `host:port` that reads the known_hosts `files` at every connection (so a key
 * added with `ssh` counts at once) and notes a refusal under `owner` for the error message.
 */
export function hostKeyVerifier(owner: object, host: string, port: number, files: string[]): (key: Buffer) => boolean {
  const name = knownHostName(host, port);
  return (key: Buffer) => {
    const verdict = hostKeyVerdict(readKnownHosts(files, name), key);
    if (verdict.state === 'known') {
      refusals.delete(owner);
      return true;
    }
    refusals.set(owner, { verdict, name, presented: { type: blobType(key), fingerprint: fingerprint(key) }, files });
    return false;
  };
}

/** The error for a refused host key: which key was presented, what known_hosts holds, and what to do. */
export function hostKeyError(refusal: HostKeyRefusal, sshCommand: string): BerthError {
  const { verdict, name, presented } = refusal;
  const shown = `${presented.type} ${presented.fingerprint}`;
  switch (verdict.state) {
    case 'unknown':
      return new BerthError(
        'AUTH_FAILED',
        `The SSH host ${name} is not in known_hosts (${refusal.files[0]}), so Berth cannot tell it is the real one. It presented ${shown}.`,
        `Run \`${sshCommand}\` once in a terminal, check that the fingerprint it shows is the host's (${shown}), and answer yes; ssh saves the key and Berth then trusts it.`,
      );
    case 'revoked':
      return new BerthError(
        'AUTH_FAILED',
        `The SSH host ${name} presented ${shown}, which ${verdict.line.file} line ${verdict.line.line} marks @revoked.`,
        "Do not connect: ask the host's administrator for its current key.",
      );
    case 'mismatch': {
      const where = verdict.lines.map((l) => `${l.file} line ${l.line} (${l.type})`).join(', ');
      return new BerthError(
        'AUTH_FAILED',
        `The SSH host ${name} presented ${shown}, but known_hosts holds another key for it: ${where}. Someone may be intercepting the connection, or the host was reinstalled.`,
        `Only if you know the host's key changed: remove the old one with \`ssh-keygen -R '${name}'\`, then run \`${sshCommand}\` and check the new fingerprint.`,
      );
    }
  }
}
