/**
 * Real docker credential helpers for tests: executable node scripts named `docker-credential-<name>` in a
 * temp folder that the test puts first on PATH. They speak the protocol (get, store, erase, list over
 * stdin/stdout) and keep logins in a JSON file the test can read, so both Berth and the real docker CLI
 * can use them.
 *
 * - `kind: 'store'`: a working helper; `storeFile` maps server URL → { Username, Secret }.
 * - `kind: 'fail'`: every action exits 1 with a message on stderr (and echoes what it was given, to prove
 *   Berth masks the secret when it quotes the helper).
 * - `kind: 'hang'`: never answers (sleeps in a child process, as a helper waiting for a keychain prompt).
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestHelpers {
  /** The folder holding the helper programs (put first on PATH: see `env`). */
  dir: string;
  /** The file the working helpers store logins in. */
  storeFile: string;
  /** process.env with `dir` first on PATH, plus `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** What the working helpers hold now: server URL → { Username, Secret }. */
  stored(): Promise<Record<string, { Username: string; Secret: string }>>;
  remove(): Promise<void>;
}

const storeScript = (storeFile: string): string => `#!/usr/bin/env node
const fs = require('node:fs');
const file = ${JSON.stringify(storeFile)};
const read = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; } };
const write = (all) => fs.writeFileSync(file, JSON.stringify(all), { mode: 0o600 });
let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const all = read();
  const action = process.argv[2];
  if (action === 'store') {
    const { ServerURL, Username, Secret } = JSON.parse(input);
    all[ServerURL] = { Username, Secret };
    write(all);
  } else if (action === 'get') {
    const entry = all[input.trim()];
    if (!entry) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    process.stdout.write(JSON.stringify({ ServerURL: input.trim(), Username: entry.Username, Secret: entry.Secret }));
  } else if (action === 'erase') {
    if (!all[input.trim()]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    delete all[input.trim()];
    write(all);
  } else if (action === 'list') {
    process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.Username]))));
  } else {
    process.stderr.write('unknown action ' + action + '\\n');
    process.exit(2);
  }
});
`;

const failScript = `#!/usr/bin/env node
let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  process.stderr.write('error: the keyring is locked (was given: ' + input.trim() + ')\\n');
  process.exit(1);
});
`;

/** A shell script whose child sleeps: stopping only the script would leave the child holding its output. */
const hangScript = `#!/bin/sh
sleep 600
`;

export async function installTestHelpers(names: {
  store?: string;
  fail?: string;
  hang?: string;
}): Promise<TestHelpers> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-helpers-'));
  const storeFile = join(dir, 'store.json');
  const scripts: [string | undefined, string][] = [
    [names.store, storeScript(storeFile)],
    [names.fail, failScript],
    [names.hang, hangScript],
  ];
  for (const [name, script] of scripts) {
    if (!name) continue;
    const path = join(dir, `docker-credential-${name}`);
    await writeFile(path, script);
    await chmod(path, 0o755);
  }
  return {
    dir,
    storeFile,
    env: (extra = {}) => ({ ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, ...extra }),
    stored: async () => {
      try {
        return JSON.parse(await readFile(storeFile, 'utf8'));
      } catch {
        return {};
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
