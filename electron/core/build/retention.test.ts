import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildModel } from '../../contract';
import { readRecord, recordOf, writeRecord } from './records';
import { applyRetention } from './retention';
import { replay } from './test/replay';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-retention-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = Array.from({ length: 50 }, (_, i) => ({
  path: `src/f${i}.js`,
  size: 10,
  mode: 0o644,
  sha256: 'a'.repeat(64),
}));

async function record(buildId: string, at: number, contextDir: string): Promise<void> {
  const model = BuildModel.parse({
    buildId,
    request: { contextDir, tags: ['app:1'] },
    builder: 'buildkit',
    state: 'succeeded',
    context: { bytes: 500, files: files.length },
    steps: replay('buildkit', 'cached').steps.slice(0, 1),
    warnings: [],
    startedAt: at,
    endedAt: at + 1000,
    imageId: 'sha256:abc',
    failure: null,
  });
  await writeRecord(dir, recordOf(model, files as never));
}

describe('build history retention', () => {
  it('keeps the snapshots of the last N builds per project and drops the older ones’ snapshots only', async () => {
    for (let i = 1; i <= 4; i++) await record(`a${i}`, i * 1000, '/proj-a');
    await record('b1', 500, '/proj-b');
    const report = await applyRetention(dir, 2);
    expect(report.trimmed.sort()).toEqual(['a1', 'a2']);
    expect(report.freedBytes).toBeGreaterThan(0);
    expect((await readRecord(dir, 'a1')).context).toBeNull();
    expect((await readRecord(dir, 'a1')).steps).toHaveLength(1);
    expect((await readRecord(dir, 'a4')).context?.files).toHaveLength(files.length);
    expect((await readRecord(dir, 'b1')).context?.files).toHaveLength(files.length);
    // Running it again changes nothing.
    expect(await applyRetention(dir, 2)).toEqual({ trimmed: [], freedBytes: 0 });
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses to keep %d builds', async (keep) => {
    await expect(applyRetention(dir, keep)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
