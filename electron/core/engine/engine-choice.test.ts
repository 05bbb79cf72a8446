import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEngine } from '../../contract';
import { writeContext } from './context-writer';
import { Engine } from './engine';
import { EngineChoice } from './engine-choice';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-choice-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the remembered engine choice', () => {
  it('is written to <data>/engine.json, readable by this user only, holding the context name alone', () => {
    const choice = new EngineChoice(join(dir, 'data'));
    expect(choice.read()).toBeUndefined();
    choice.write('build-box');
    const file = join(dir, 'data', 'engine.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ context: 'build-box' });
    expect(new EngineChoice(join(dir, 'data')).read()).toBe('build-box');
  });

  it('ignores a file that is not JSON or names no valid context', () => {
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'engine.json'), '{"context":"../x"}');
    expect(new EngineChoice(join(dir, 'data')).read()).toBeUndefined();
    writeFileSync(join(dir, 'data', 'engine.json'), 'not json');
    expect(new EngineChoice(join(dir, 'data')).read()).toBeUndefined();
  });

  it('a switch is remembered, and the next start opens that context, over DOCKER_HOST', async () => {
    const config = join(dir, 'config');
    mkdirSync(config);
    writeContext(config, NewEngine.parse({ kind: 'unix', name: 'other', socketPath: dir }));
    const choice = new EngineChoice(join(dir, 'data'));
    const first = new Engine({ configDir: config, env: { DOCKER_HOST: 'unix:///nowhere.sock' }, choice });
    await first.useContext('other');
    first.close();
    const next = new Engine({ configDir: config, env: { DOCKER_HOST: 'unix:///nowhere.sock' }, choice });
    expect(next.context).toBe('other');
    expect(next.endpoint).toBe(`unix://${dir}`);
    next.close();
    // A remembered context that was removed since is skipped: the usual resolution applies.
    rmSync(join(config, 'contexts'), { recursive: true });
    const fallback = new Engine({ configDir: config, env: { DOCKER_HOST: 'unix:///nowhere.sock' }, choice });
    expect(fallback.endpoint).toBe('unix:///nowhere.sock');
    fallback.close();
  });
});
