/**
 * Saves a new engine as a docker context in the CLI's own format, so `docker context ls` (and `docker
 * --context NAME`) use it too:
 *   <config>/contexts/meta/<sha256(name)>/meta.json   {"Name","Metadata":{...},"Endpoints":{"docker":{"Host","SkipTLSVerify"}}}
 *   <config>/contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem   (folders 0700, files 0600, as the CLI writes them)
 * An SSH key path (the CLI leaves keys to ssh's own config) is kept in Metadata.BerthIdentityFile; the key
 * itself is never copied. Every file named is checked first (a readable regular file holding PEM), and a
 * failure leaves the config folder as it was.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError, type NewEngine } from '../../contract';
import { contextKey, readContext } from './context-store';

/** Larger files are not certificates or keys. */
const MAX_PEM_BYTES = 1 << 20;

type PemKind = 'certificate' | 'private key';

function badFile(field: string, path: string, why: string, fix: string): BerthError {
  return new BerthError('INVALID_INPUT', `${path} ${why}.`, fix, { [field]: [`${path} ${why}`] });
}

/** Reads a PEM file after checking it is a readable regular file of the right kind; the error names the file. */
export function readPemFile(field: string, path: string, kind: PemKind): Buffer {
  const fix =
    kind === 'certificate'
      ? `Give the path of a PEM certificate file (it starts with "-----BEGIN CERTIFICATE-----").`
      : `Give the path of an unencrypted PEM private key (it starts with "-----BEGIN ... PRIVATE KEY-----").`;
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw badFile(field, path, 'is not a regular file', fix);
    size = stat.size;
  } catch (error) {
    if (error instanceof BerthError) throw error;
    throw badFile(field, path, 'does not exist', fix);
  }
  if (size > MAX_PEM_BYTES) throw badFile(field, path, 'is too large to be a certificate or key', fix);
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch (error) {
    throw badFile(field, path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix);
  }
  const pem = text.toString('latin1');
  const wanted = kind === 'certificate' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!wanted.test(pem) || !/-----END [A-Z ]+-----/.test(pem)) {
    throw badFile(field, path, `is not a PEM ${kind}`, fix);
  }
  if (kind === 'private key' && /ENCRYPTED/.test(pem)) {
    throw badFile(
      field,
      path,
      'is an encrypted private key',
      'Berth cannot ask for a passphrase: load the key into ssh-agent instead, or give an unencrypted key.',
    );
  }
  return text;
}

/** The address the context stores, e.g. ssh://me@box:2222 or tcp://10.0.0.5:2376. */
export function engineAddress(engine: NewEngine): string {
  const host = (h: string) => (h.includes(':') ? `[${h}]` : h);
  switch (engine.kind) {
    case 'unix':
      return `unix://${engine.socketPath}`;
    case 'ssh':
      return `ssh://${engine.user}@${host(engine.host)}${engine.port ? `:${engine.port}` : ''}`;
    case 'tls':
      return `tcp://${host(engine.host)}:${engine.port}`;
  }
}

/** Writes `engine` as a docker context under `configDir`; CONFLICT when the name is taken. */
export function writeContext(configDir: string, engine: NewEngine): void {
  if (readContext(configDir, engine.name)) {
    throw new BerthError(
      'CONFLICT',
      `A docker context named "${engine.name}" already exists.`,
      'Choose another name, or remove the old one with `docker context rm`.',
      { name: ['this name is taken'] },
    );
  }
  // Check every file before writing anything.
  const tlsFiles =
    engine.kind === 'tls'
      ? {
          'ca.pem': readPemFile('ca', engine.ca, 'certificate'),
          'cert.pem': readPemFile('cert', engine.cert, 'certificate'),
          'key.pem': readPemFile('key', engine.key, 'private key'),
        }
      : undefined;
  if (engine.kind === 'ssh' && engine.identityFile) readPemFile('identityFile', engine.identityFile, 'private key');
  if (engine.kind === 'unix' && !existsSync(engine.socketPath)) {
    throw badFile(
      'socketPath',
      engine.socketPath,
      'does not exist',
      'Give the path of the engine socket, e.g. /var/run/docker.sock or /run/user/1000/podman/podman.sock.',
    );
  }

  const key = contextKey(engine.name);
  const metaDir = join(configDir, 'contexts', 'meta', key);
  const tlsDir = join(configDir, 'contexts', 'tls', key);
  const metadata: Record<string, string> = {
    ...(engine.description && { Description: engine.description }),
    ...(engine.kind === 'ssh' && engine.identityFile && { BerthIdentityFile: engine.identityFile }),
  };
  const meta = {
    Name: engine.name,
    Metadata: metadata,
    Endpoints: { docker: { Host: engineAddress(engine), SkipTLSVerify: false } },
  };
  try {
    if (tlsFiles) {
      const dir = join(tlsDir, 'docker');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const [file, content] of Object.entries(tlsFiles)) {
        writeFileSync(join(dir, file), content, { mode: 0o600 });
        chmodSync(join(dir, file), 0o600);
      }
    }
    mkdirSync(metaDir, { recursive: true, mode: 0o755 });
    const temporary = join(metaDir, `.meta.json.${process.pid}.tmp`);
    writeFileSync(temporary, JSON.stringify(meta), { mode: 0o644 });
    renameSync(temporary, join(metaDir, 'meta.json'));
  } catch (error) {
    rmSync(tlsDir, { recursive: true, force: true });
    rmSync(metaDir, { recursive: true, force: true });
    throw new BerthError(
      'STORAGE_FAILED',
      `Could not write the docker context to ${configDir}: ${(error as Error).message}`,
      'Check that the docker config folder (DOCKER_CONFIG or ~/.docker) is writable.',
    );
  }
}
