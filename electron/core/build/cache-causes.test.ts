import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildModel, MASKED, queuedStep } from '../../contract';
import { stepInputs } from '../insight';
import { explainBuild, fingerprinter } from './cache-causes';
import { listRecords, openRecord, recordOf, writeRecord } from './records';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-cause-records-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = 'FROM base\nARG DB_PASSWORD\nCOPY src ./src\nRUN make\n';

async function build(buildId: string, startedAt: number, ran: string[], password: string) {
  const instructions = ['FROM base', 'ARG DB_PASSWORD', 'COPY src ./src', 'RUN make'];
  const model = BuildModel.parse({
    buildId,
    request: { contextDir: '/ctx', buildArgs: { DB_PASSWORD: password } },
    builder: 'buildkit',
    state: 'succeeded',
    context: { bytes: 3, files: 1 },
    steps: instructions.map((instruction, index) => ({
      ...queuedStep({ id: `buildkit-${index + 1}`, index, stage: 'stage-0', instruction, line: index + 1 }),
      state: ran.includes(instruction) ? 'done' : index === 1 ? 'metadata' : 'cached',
    })),
    warnings: [],
    startedAt,
    endedAt: startedAt + 1000,
    imageId: 'sha256:abc',
    failure: null,
  });
  const inputs = stepInputs(SOURCE, {
    builder: 'buildkit',
    buildArgs: model.request.buildArgs,
    fingerprint: await fingerprinter(dir),
  });
  return { model, inputs };
}

const files = [{ path: 'src/a.c', size: 3, mode: 0o644, sha256: 'aa' }];

describe('cache causes at the end of a build', () => {
  it('compare with the previous record of the project, land in the record, its summary and the reopened build', async () => {
    const first = await build('first', 1000, ['COPY src ./src', 'RUN make'], 'pw-one-1234');
    await writeRecord(dir, recordOf(first.model, files, first.inputs));
    const second = await build('second', 5000, ['COPY src ./src', 'RUN make'], 'pw-one-1234');
    const edited = [{ ...files[0]!, size: 4, sha256: 'bb' }];
    const cacheCauses = await explainBuild(dir, second.model, second.inputs, edited);
    expect(cacheCauses.previousBuildId).toBe('first');
    await writeRecord(dir, recordOf({ ...second.model, cacheCauses }, edited, second.inputs));

    const summaries = await listRecords(dir);
    expect(summaries.find((s) => s.buildId === 'second')?.firstCause).toBe(
      'COPY src ./src: files changed: modified src/a.c (3 B → 4 B)',
    );
    expect((await openRecord(dir, 'second')).cacheCauses?.steps.map((c) => [c.stepId, c.role])).toEqual([
      ['buildkit-3', 'cause'],
      ['buildkit-4', 'consequence'],
    ]);
  });

  it('sees a changed secret-looking build arg without keeping either value', async () => {
    const first = await build('first', 1000, [], 'pw-one-1234');
    await writeRecord(dir, recordOf(first.model, files, first.inputs));
    const second = await build('second', 5000, ['RUN make'], 'pw-two-5678');
    const cacheCauses = await explainBuild(dir, second.model, second.inputs, files);
    expect(cacheCauses.steps[0]?.changes).toEqual([
      { kind: 'variable', name: 'DB_PASSWORD', source: 'build-arg', old: MASKED, new: MASKED },
    ]);
    await writeRecord(dir, recordOf({ ...second.model, cacheCauses }, files, second.inputs));
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name), 'utf8')).not.toMatch(/pw-one|pw-two/);
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
  });
});
