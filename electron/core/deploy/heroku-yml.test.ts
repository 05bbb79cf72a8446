import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHerokuYml, checkHerokuYmlText } from './heroku-yml';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-heroku-yml-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('heroku.yml check', () => {
  it("the repository's own heroku.yml (the tutorial's) has no mistakes", async () => {
    const check = await checkHerokuYml(process.cwd());
    expect(check).toMatchObject({ found: true, problems: [] });
  });

  it('a full file with every documented section passes', () => {
    const text = [
      'setup:',
      '  addons:',
      '    - plan: heroku-postgresql',
      '      as: DATABASE',
      '  config:',
      '    S3_BUCKET: my-bucket',
      'build:',
      '  docker:',
      '    web: Dockerfile',
      '    worker:',
      '      dockerfile: Dockerfile',
      '      target: worker',
      '  config:',
      '    RAILS_ENV: development',
      'release:',
      '  image: worker',
      '  command:',
      '    - ./deployment-tasks.sh',
      'run:',
      '  web: bundle exec puma -C config/puma.rb',
      '  worker:',
      '    command:',
      '      - python myworker.py',
      '    image: web',
    ].join('\n');
    expect(checkHerokuYmlText(text, dir)).toEqual([]);
  });

  it('reports each mistake with its line', () => {
    const text = [
      'build:', // 1
      '  docker:', // 2
      '    web: Dockerfile.missing', // 3
      '  confg:', // 4
      '    A: b', // 5
      'deploy:', // 6
      '  web: x', // 7
      'release:', // 8
      '  image: api', // 9
      'run:', // 10
      '  web:', // 11
      '    cmd: npm start', // 12
    ].join('\n');
    expect(checkHerokuYmlText(text, dir)).toEqual([
      { line: 3, message: 'build.docker.web: Dockerfile.missing is not in the project' },
      { line: 4, message: 'build has no "confg" section; Heroku knows docker, config' },
      { line: 6, message: 'heroku.yml has no "deploy" section; Heroku knows setup, build, release, run' },
      { line: 8, message: 'release needs a command' },
      { line: 9, message: 'release.image must be a process type built in build.docker (web)' },
      { line: 11, message: 'run.web needs a command' },
      { line: 12, message: 'run.web has no "cmd" section; Heroku knows command, image' },
    ]);
  });

  it('a YAML syntax error is reported at its line; a path out of the project is refused', () => {
    expect(checkHerokuYmlText('build:\n  docker:\n    web: [Dockerfile\n', dir)[0]?.line).toBeGreaterThanOrEqual(3);
    expect(checkHerokuYmlText('build:\n  docker:\n    web: ../../etc/passwd\n', dir)).toEqual([
      { line: 3, message: 'build.docker.web: ../../etc/passwd is not in the project' },
    ]);
    expect(checkHerokuYmlText('', dir)).toEqual([
      { line: 1, message: 'heroku.yml is empty: it needs at least a build section' },
    ]);
  });

  it('a heroku.yml that links out of the project is refused, not read; a link inside it is read', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'berth-heroku-outside-'));
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.yml'), 'build:\n  docker:\n    web: Dockerfile\n');
    const project = join(dir, 'linked-out');
    mkdirSync(project);
    symlinkSync(join(outside, 'secret.yml'), join(project, 'heroku.yml'));
    await expect(checkHerokuYml(project)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('outside the context folder'),
      fix: expect.stringContaining('not links to elsewhere'),
    });
    // A link through a linked folder is followed the same way.
    const viaFolder = join(dir, 'linked-folder');
    mkdirSync(viaFolder);
    symlinkSync(outside, join(viaFolder, 'conf'));
    symlinkSync('conf/secret.yml', join(viaFolder, 'heroku.yml'));
    await expect(checkHerokuYml(viaFolder)).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    const inside = join(dir, 'linked-in');
    mkdirSync(inside);
    writeFileSync(join(inside, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(inside, 'real.yml'), 'build:\n  docker:\n    web: Dockerfile\n');
    symlinkSync('real.yml', join(inside, 'heroku.yml'));
    expect(await checkHerokuYml(inside)).toMatchObject({ found: true, problems: [] });
    expect(await checkHerokuYml(join(dir, 'no-such-folder'))).toMatchObject({ found: false });
  });
});
