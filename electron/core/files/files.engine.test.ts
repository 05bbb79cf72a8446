/**
 * Files in a real container, with the docker CLI as the oracle: what Berth copies out is what `docker cp`
 * copies out (names, kinds, bytes, permission bits, link targets), and what Berth uploads or downloads is
 * what `docker cp` then finds or put there.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { BerthError } from '../../contract';
import { copyOut, listFolder, openDownload, uploadFile } from './index';

const engine = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const litter = new EngineLitter();
const host = mkdtempSync(join(tmpdir(), 'berth-files-'));
let container: string;

/** A tree with folders, modes, a symlink inside it, an empty file and a file of several tar blocks. */
const MAKE_TREE = [
  'mkdir -p /data/tree/sub/deeper /data/in',
  'printf "hello\\n" > /data/tree/a.txt && chmod 640 /data/tree/a.txt',
  'printf "#!/bin/sh\\n" > /data/tree/sub/run.sh && chmod 755 /data/tree/sub/run.sh',
  ': > /data/tree/sub/deeper/empty && chmod 600 /data/tree/sub/deeper/empty',
  'head -c 1500000 /dev/urandom > /data/tree/big.bin',
  'ln -s sub/run.sh /data/tree/link',
  'chmod 750 /data/tree/sub',
].join(' && ');

beforeAll(async () => {
  container = litter.container(uniqueName('files'));
  await docker('run', '-d', '--name', container, inject('nodeImage'), 'sh', '-c', `${MAKE_TREE} && sleep 600`);
  await docker('exec', container, 'sh', '-c', 'while [ ! -L /data/tree/link ]; do sleep 0.05; done');
});
afterAll(async () => {
  await litter.cleanup();
  rmSync(host, { recursive: true, force: true });
});

/** Every path under `root` with its kind, permission bits, and bytes or link target. */
function describeTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(root, { recursive: true }).map(String).sort()) {
    const path = join(root, rel);
    const stat = lstatSync(path);
    const mode = (stat.mode & 0o777).toString(8);
    if (stat.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(path)}`;
    else if (stat.isDirectory()) out[rel] = `folder ${mode}`;
    else out[rel] = `file ${mode} ${readFileSync(path).toString('base64').slice(0, 40)} ${stat.size}`;
  }
  return out;
}

const bytesOf = async (body: Readable): Promise<Buffer> => Buffer.concat(await body.toArray());

describe('files in a container, against docker cp', () => {
  it('copies a folder out exactly as `docker cp` does: names, kinds, bytes, modes and links', async () => {
    const ours = mkdtempSync(join(host, 'ours-'));
    const theirs = mkdtempSync(join(host, 'theirs-'));
    const report = await copyOut(engine, container, '/data/tree', ours);
    await docker('cp', `${container}:/data/tree`, theirs);
    expect(describeTree(ours)).toEqual(describeTree(theirs));
    expect(Object.keys(describeTree(ours))).toContain('tree/sub/deeper/empty');
    expect(report).toMatchObject({ files: 4, bytes: 1_500_000 + 6 + 10, skipped: [] });
    // The same copy again would overwrite: refused, and the first copy is untouched.
    await expect(copyOut(engine, container, '/data/tree', ours)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(describeTree(ours)).toEqual(describeTree(theirs));
  });

  it('lists a folder as `ls` in the container does, and downloads a file byte for byte', async () => {
    const listing = await listFolder(engine, container, '/data/tree');
    const names = (await docker('exec', container, 'ls', '-A', '/data/tree')).split('\n').sort();
    expect(listing.entries.map((e) => e.name).sort()).toEqual(names);
    expect(listing.entries.find((e) => e.name === 'sub')).toMatchObject({ kind: 'folder', mode: 0o750 });
    expect(listing.entries.find((e) => e.name === 'link')).toMatchObject({ kind: 'symlink', linkTarget: 'sub/run.sh' });

    const download = await openDownload(engine, container, '/data/tree/big.bin');
    expect(download).toMatchObject({ fileName: 'big.bin', kind: 'file', sizeBytes: 1_500_000 });
    const theirs = mkdtempSync(join(host, 'big-'));
    await docker('cp', `${container}:/data/tree/big.bin`, theirs);
    expect((await bytesOf(download.body)).equals(readFileSync(join(theirs, 'big.bin')))).toBe(true);

    const folder = await openDownload(engine, container, '/data/tree/sub');
    expect(folder).toMatchObject({ fileName: 'sub.tar', kind: 'folder', contentType: 'application/x-tar' });
    folder.body.destroy();
  });

  it('uploads a file that `docker cp` then copies back byte for byte, and reads what `docker cp` put in', async () => {
    const bytes = randomBytes(300_000);
    await uploadFile(
      engine,
      { id: container, folder: '/data/in', name: 'up load.bin', sizeBytes: bytes.length },
      Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
    );
    const back = mkdtempSync(join(host, 'back-'));
    await docker('cp', `${container}:/data/in/up load.bin`, back);
    expect(readFileSync(join(back, 'up load.bin')).equals(bytes)).toBe(true);
    expect(lstatSync(join(back, 'up load.bin')).mode & 0o777).toBe(0o644);

    const mine = join(host, 'mine.sh');
    writeFileSync(mine, randomBytes(70_000));
    chmodSync(mine, 0o700);
    await docker('cp', mine, `${container}:/data/in/`);
    const download = await openDownload(engine, container, '/data/in/mine.sh');
    expect((await bytesOf(download.body)).equals(readFileSync(mine))).toBe(true);
    const listing = await listFolder(engine, container, '/data/in');
    expect(listing.entries.find((e) => e.name === 'mine.sh')).toMatchObject({ mode: 0o700, sizeBytes: 70_000 });
  });

  it('refuses an upload whose body is shorter or longer than announced, and writes nothing', async () => {
    for (const [name, sent] of [
      ['short.bin', 99],
      ['long.bin', 101],
    ] as const) {
      const error = await uploadFile(
        engine,
        { id: container, folder: '/data/in', name, sizeBytes: 100 },
        Readable.from([Buffer.alloc(sent, 1)]),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BerthError);
      expect((error as BerthError).code).toBe('INVALID_INPUT');
      expect(await docker('exec', container, 'sh', '-c', `[ -e /data/in/${name} ] && echo there || echo absent`)).toBe(
        'absent',
      );
    }
  });

  it('says what is missing or wrong, with a code and a fix', async () => {
    const missing = (await listFolder(engine, container, '/no/such/place').catch((e: unknown) => e)) as BerthError;
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.fix).toBeTruthy();
    await expect(listFolder(engine, container, '/data/tree/a.txt')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      uploadFile(
        engine,
        { id: container, folder: '/data/tree/a.txt', name: 'x', sizeBytes: 1 },
        Readable.from([Buffer.from('x')]),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(listFolder(engine, 'f00f00f00f00', '/')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
