/**
 * Builds a local Node base image from this machine's node, npm, busybox and CA bundle,
 * for machines that cannot pull node:22-alpine (recipe: shared/REFERENCE.md section 2).
 * Idempotent: the tag names the node version, and an existing image is reused.
 *
 *   npm run base-image            prints the image name
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_IMAGE_REPO = 'berth-node-base';
export const baseImageName = (): string => `${BASE_IMAGE_REPO}:node-${process.versions.node}`;

const NODE_BIN = '/usr/bin/node';
const NPM_DIR = '/usr/lib/node_modules/npm';
const BUSYBOX = '/bin/busybox';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function docker(args: string[], input?: Buffer): string {
  return execFileSync('docker', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

function imageExists(name: string): boolean {
  try {
    docker(['image', 'inspect', name]);
    return true;
  } catch {
    return false;
  }
}

function sharedLibrariesOf(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] as string);
}

function copyWithParents(source: string, root: string): void {
  const target = join(root, source);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, 0o755);
}

function layOutRoot(root: string): void {
  for (const missing of [NODE_BIN, NPM_DIR, BUSYBOX, CA_BUNDLE].filter((p) => !existsSync(p))) {
    throw new Error(`${missing} is missing; install it (busybox comes from Debian's busybox-static) and retry.`);
  }
  copyWithParents(NODE_BIN, root);
  for (const lib of sharedLibrariesOf(NODE_BIN)) copyWithParents(lib, root);

  cpSync(NPM_DIR, join(root, NPM_DIR), { recursive: true, verbatimSymlinks: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/bin/npx'));

  copyWithParents(BUSYBOX, root);
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    const link = join(root, 'bin', applet);
    if (!existsSync(link)) symlinkSync('busybox', link);
  }
  symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));

  mkdirSync(join(root, 'etc/ssl/certs'), { recursive: true });
  copyFileSync(CA_BUNDLE, join(root, CA_BUNDLE));
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  mkdirSync(join(root, 'home/node'), { recursive: true });
  mkdirSync(join(root, 'root'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
}

/** Returns the name of the local base image, building it first if it does not exist. */
export function ensureBaseImage(): string {
  const name = baseImageName();
  if (imageExists(name)) return name;
  const root = mkdtempSync(join(tmpdir(), 'berth-base-'));
  try {
    layOutRoot(root);
    execFileSync('chown', ['-R', '1000:1000', join(root, 'home/node')]);
    const tarball = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 1 << 30 });
    docker(
      [
        'import',
        '-c',
        'ENV PATH=/usr/local/bin:/usr/bin:/bin',
        '-c',
        `ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
        '-c',
        `ENV NPM_CONFIG_CAFILE=${CA_BUNDLE}`,
        '-c',
        'CMD ["node"]',
        '-',
        name,
      ],
      tarball,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return name;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureBaseImage());
  } catch (error) {
    console.error(`Could not build the local base image: ${(error as Error).message}`);
    process.exit(1);
  }
}
