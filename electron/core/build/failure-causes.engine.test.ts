/**
 * Real builds that fail for a recognisable reason, with both builders: the failure names the cause and
 * gives its fix instead of the generic "read the log". Unit tests with more causes: failure-causes.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { EngineLitter } from '../../../test/engine-harness';
import { TestBuilds } from './test/test-build';

const litter = new EngineLitter();
let dir: string;
let records: string;
let builds: TestBuilds;

const DOCKERFILES: Record<string, string> = {
  'Dockerfile.127': 'RUN nosuchcmd --version\n',
  'Dockerfile.copy': 'COPY missing.txt /tmp/\n',
  'Dockerfile.space': 'RUN echo data > /dev/full\n',
  'Dockerfile.perm': 'USER node\nRUN touch /etc/berth-owned-by-root\n',
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-build-causes-'));
  records = mkdtempSync(join(tmpdir(), 'berth-build-records-'));
  builds = new TestBuilds(new Dockerode(), litter, records);
  for (const [name, body] of Object.entries(DOCKERFILES)) {
    writeFileSync(join(dir, name), `ARG NODE_IMAGE\nFROM \${NODE_IMAGE}\n${body}`);
  }
});
afterAll(async () => {
  await litter.cleanup();
  rmSync(dir, { recursive: true, force: true });
  rmSync(records, { recursive: true, force: true });
});

async function failure(builder: 'buildkit' | 'legacy', dockerfile: string) {
  const buildId = await builds.start(dir, dockerfile, builder);
  const final = await builds.runner.done(buildId);
  expect(final.state).toBe('failed');
  return final.failure;
}

describe.each(['buildkit', 'legacy'] as const)('%s failures with a known cause', (builder) => {
  it('exit 127 names the missing command', async () => {
    const f = await failure(builder, 'Dockerfile.127');
    expect(f).toMatchObject({ exitCode: 127, message: expect.stringContaining('"nosuchcmd" was not found') });
    expect(f?.fix).toMatch(/^Install "nosuchcmd"/);
  });

  it('a COPY source missing from the context names the file and .dockerignore', async () => {
    const f = await failure(builder, 'Dockerfile.copy');
    expect(f?.message).toContain('"missing.txt" is not in the build context');
    expect(f?.fix).toMatch(/"missing\.txt" exists inside the context folder.*\.dockerignore/);
  });

  it('a full disk says to free space', async () => {
    const f = await failure(builder, 'Dockerfile.space');
    expect(f?.fix).toMatch(/^Free space where the engine stores images/);
  });

  it('permission denied under USER says who owns what', async () => {
    const f = await failure(builder, 'Dockerfile.perm');
    expect(f?.message).toContain('Permission denied');
    expect(f?.fix).toMatch(/^The step runs as a user/);
  });
});
