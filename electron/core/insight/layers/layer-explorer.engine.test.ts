/**
 * The layer explorer against the real engine, with the docker CLI as the oracle: `docker history` for each
 * layer's size, and `docker save` unpacked in a temp dir (here, in the test only) with `tar -tvf` on each layer
 * tar for the file lists. The images are made by Berth's own builds, so they have build records (Dockerfile
 * lines); one deletes files in a later layer, one (legacy builder) replaces a directory: an opaque whiteout.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../../test/engine-harness';
import { ImageDiff, LayerExploration } from '../../../contract';
import { startBuild } from '../../build';
import { diffImageLayers, exploreImage } from './explore';

const run = promisify(execFile);
const client = new Dockerode({ socketPath: '/var/run/docker.sock' });
const engine = { docker: client, endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const litter = new EngineLitter();
const scratch = mkdtempSync(join(tmpdir(), 'berth-layers-'));
const recordsDir = join(scratch, 'records');

afterAll(async () => {
  await litter.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** Builds `dockerfile` through Berth (so a build record exists) and returns its tag. */
async function berthBuild(what: string, dockerfile: string, builder: 'buildkit' | 'legacy'): Promise<string> {
  const context = mkdtempSync(join(scratch, 'context-'));
  writeFileSync(join(context, 'Dockerfile'), dockerfile);
  const tag = litter.image(`${uniqueName(what)}:1`);
  const model = await startBuild(
    engine,
    { contextDir: context, buildArgs: { NODE_IMAGE: inject('nodeImage') }, tags: [tag], builder },
    { recordsDir },
  ).done;
  if (model.state !== 'succeeded') throw new Error(`build of ${tag} failed: ${model.failure?.message}`);
  return tag;
}

interface OracleEntry {
  type: string;
  size: number;
}

/** `docker save` unpacked, then `tar -tvf` of each layer (bottom first): path → type letter and size. */
async function oracleLayers(tag: string): Promise<Array<Map<string, OracleEntry>>> {
  const dir = mkdtempSync(join(scratch, 'save-'));
  try {
    await run('sh', ['-c', `docker save "${tag}" | tar -x -C "${dir}"`]);
    const [manifest] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
    const layers: Array<Map<string, OracleEntry>> = [];
    for (const layer of manifest!.Layers) {
      const { stdout } = await run('tar', ['-tvf', join(dir, layer)], { maxBuffer: 256 << 20 });
      const entries = new Map<string, OracleEntry>();
      for (const line of stdout.split('\n').filter(Boolean)) {
        // -rw-r--r-- 0/0    1234 2026-01-01 00:00 path[ -> target | link to target]
        const m = /^(\S)\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.*?)(?: -> .*| link to .*)?$/.exec(line);
        if (!m) throw new Error(`unparsed tar line: ${line}`);
        const path = m[3]!.replace(/^\.\//, '').replace(/\/$/, '');
        if (path) entries.set(path, { type: m[1]!, size: Number(m[2]) });
      }
      layers.push(entries);
    }
    return layers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `docker history` sizes in bytes, bottom first. */
async function historySizes(tag: string): Promise<number[]> {
  const out = await docker('history', '--no-trunc', '--human=false', '--format', '{{.Size}}', tag);
  return out.split('\n').map(Number).reverse();
}

/** The paths a layer's raw tar names, with whiteout markers turned into what they delete (as the explorer shows). */
function expectedPaths(oracle: Map<string, OracleEntry>): Set<string> {
  const paths = new Set<string>();
  for (const path of oracle.keys()) {
    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    const base = path.slice(slash + 1);
    if (base === '.wh..wh..opq') paths.add(dir);
    else if (base.startsWith('.wh.')) paths.add(`${dir ? `${dir}/` : ''}${base.slice(4)}`);
    else paths.add(path);
  }
  return paths;
}

/** Sizes and file lists of every layer agree with `docker history` and with `tar -tvf`. */
async function expectAgreesWithOracle(
  tag: string,
  explored: LayerExploration,
): Promise<Array<Map<string, OracleEntry>>> {
  const oracle = await oracleLayers(tag);
  const diffIds = JSON.parse(await docker('image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag)) as string[];
  expect(explored.layers.map((l) => l.diffId)).toEqual(diffIds);
  expect(explored.layers).toHaveLength(oracle.length);
  const sizes = await historySizes(tag);
  expect(explored.history).toHaveLength(sizes.length);
  for (const layer of explored.layers) {
    expect(layer.historyIndex).not.toBeNull();
    expect(layer.size).toBe(sizes[layer.historyIndex!]);
    const listed = oracle[layer.index]!;
    expect(new Set(layer.tree.paths)).toEqual(expectedPaths(listed));
    layer.tree.paths.forEach((path, i) => {
      const raw = listed.get(path);
      if (raw?.type === '-' && layer.tree.changes[i] !== 'd') expect(layer.tree.sizes[i]).toBe(raw.size);
    });
  }
  expect(explored.size).toBe(sizes.reduce((a, b) => a + b, 0));
  return oracle;
}

const entry = (explored: LayerExploration, layer: number, path: string) => {
  const tree = explored.layers[layer]!.tree;
  const i = tree.paths.findIndex((p, at) => p === path && tree.changes[at] !== 'o');
  return i < 0 ? null : { change: tree.changes[i], size: tree.sizes[i], kind: tree.kinds[i] };
};

describe('the layer explorer on real images', () => {
  it('shows files deleted in a later layer, counts only superseded copies as waste, and names the Dockerfile lines', async () => {
    const tag = await berthBuild(
      'deletes',
      [
        'ARG NODE_IMAGE',
        'FROM ${NODE_IMAGE}',
        `RUN mkdir -p /data/keep /data/gone && dd if=/dev/zero of=/data/gone/big bs=1000 count=30 && dd if=/dev/zero of=/data/keep/a bs=1000 count=1 && echo ${randomBytes(4).toString('hex')} > /data/once`,
        'ENV MODE=test',
        'RUN rm -rf /data/gone && dd if=/dev/zero of=/data/keep/a bs=1000 count=2',
        '',
      ].join('\n'),
      'buildkit',
    );
    const explored = await exploreImage(engine, tag, { recordsDir });
    expect(LayerExploration.parse(explored)).toEqual(explored);
    await expectAgreesWithOracle(tag, explored);
    const top = explored.layers.length - 1;
    expect(entry(explored, top, 'data/gone')).toEqual({ change: 'd', size: 30_000, kind: 'd' });
    expect(entry(explored, top, 'data/keep/a')).toEqual({ change: 'm', size: 2000, kind: 'f' });
    expect(entry(explored, top - 1, 'data/once')).toMatchObject({ change: 'a', kind: 'f' });
    // Waste: the 30,000 bytes deleted and the first 1,000-byte copy of keep/a; the kept copies are not waste.
    expect(explored.wasted.find((w) => w.path === 'data/gone/big')).toEqual({
      path: 'data/gone/big',
      copies: 1,
      bytes: 30_000,
    });
    expect(explored.wasted.find((w) => w.path === 'data/keep/a')).toEqual({
      path: 'data/keep/a',
      copies: 1,
      bytes: 1000,
    });
    expect(explored.wasted.find((w) => w.path === 'data/once')).toBeUndefined();
    expect(explored.layers[top - 1]!.wastedBytes).toBe(31_000);
    expect(explored.efficiency).toBeCloseTo(1 - explored.wastedBytes / explored.size);
    // Built by Berth: the layers' history entries carry their Dockerfile lines; ENV made no layer.
    expect(explored.buildId).not.toBeNull();
    expect(explored.layers.slice(-2).map((l) => l.line)).toEqual([3, 5]);
    expect(explored.history.find((h) => h.instruction === 'ENV MODE=test')).toMatchObject({
      empty: true,
      layer: null,
      line: 4,
    });
  });

  it('shows an opaque whiteout where the legacy builder replaced a directory', async () => {
    const tag = await berthBuild(
      'opaque',
      [
        'ARG NODE_IMAGE',
        'FROM ${NODE_IMAGE}',
        `RUN mkdir -p /data/sub && dd if=/dev/zero of=/data/old bs=1000 count=5 && echo ${randomBytes(4).toString('hex')} > /data/sub/y`,
        'RUN rm -rf /data && mkdir /data && echo new > /data/x',
        '',
      ].join('\n'),
      'legacy',
    );
    const explored = await exploreImage(engine, tag, { recordsDir });
    const oracle = await expectAgreesWithOracle(tag, explored);
    const top = explored.layers.length - 1;
    expect(oracle[top]!.has('data/.wh..wh..opq')).toBe(true); // the engine really wrote an opaque whiteout
    const tree = explored.layers[top]!.tree;
    const opaque = [...tree.changes].findIndex((c, i) => c === 'o' && tree.paths[i] === 'data');
    expect(opaque).toBeGreaterThanOrEqual(0);
    expect(tree.sizes[opaque]).toBe(5000 + 9); // data/old and data/sub/y ("<8 hex>\n") are hidden
    expect(entry(explored, top, 'data/x')).toMatchObject({ change: 'a', size: 4 });
    expect(explored.wastedBytes).toBe(5009);
  });

  it('diffs two builds of one tag: the shared base, the changed layer and the file in it', async () => {
    const dockerfile = (value: string) =>
      [
        'ARG NODE_IMAGE',
        'FROM ${NODE_IMAGE}',
        'RUN mkdir /app && echo same > /app/same',
        `RUN echo ${value} > /app/changing`,
        '',
      ].join('\n');
    const salt = randomBytes(4).toString('hex');
    const first = await berthBuild('diff', dockerfile(`${salt}-one`), 'buildkit');
    const second = await berthBuild('diff', dockerfile(`${salt}-two`), 'buildkit');
    const diff = await diffImageLayers(engine, first, second);
    expect(ImageDiff.parse(diff)).toEqual(diff);
    const changed = diff.layers.filter((l) => !l.same);
    expect(changed.map((l) => l.to?.instruction)).toEqual([`RUN echo ${salt}-two > /app/changing`]);
    expect(diff.sharedLayers).toBe(diff.layers.length - 1);
    const files = changed[0]!.files;
    expect(files.paths.filter((_, i) => files.changes[i] === 'm')).toEqual(['app/changing']);
  });

  it('says NOT_FOUND, naming the image, for one that does not exist', async () => {
    const missing = `${uniqueName('missing')}:1`;
    await expect(exploreImage(engine, missing)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(missing),
    });
  });
});
