/**
 * Checks heroku.yml against the sections Heroku's documentation ("Building Docker Images with heroku.yml")
 * describes: setup (addons, config), build (docker, config), release (image, command) and run (process →
 * command, or {command, image}). Every mistake is reported with its line. Parsed with the `yaml` package,
 * which keeps each node's offset. heroku.yml applies only when Heroku builds the image itself (git push);
 * a registry deploy from Berth ignores it, and the UI says so.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from 'yaml';
import type { HerokuYmlCheck } from '../../contract';
import { insideContext } from '../project/inside-project';

type Problem = HerokuYmlCheck['problems'][number];

const TOP = ['setup', 'build', 'release', 'run'];
const PROCESS_TYPE = /^[a-zA-Z0-9_-]+$/;

interface Reader {
  line(node: Node | null | undefined): number;
  problems: Problem[];
}

const keyOf = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

function report(reader: Reader, node: Node | null | undefined, message: string): void {
  reader.problems.push({ line: reader.line(node), message });
}

function isText(node: unknown): boolean {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number');
}

/** A mapping's pairs, or a problem when `node` is not a mapping. */
function pairsOf(reader: Reader, node: unknown, where: string, at: Node | null | undefined): Pair[] {
  if (isMap(node)) return (node as YAMLMap).items as Pair[];
  report(reader, (node as Node) ?? at, `${where} must be a mapping (key: value lines indented under it)`);
  return [];
}

function checkKeys(reader: Reader, pairs: Pair[], where: string, allowed: string[]): void {
  for (const pair of pairs) {
    const key = keyOf(pair);
    if (!allowed.includes(key)) {
      report(reader, pair.key as Node, `${where} has no "${key}" section; Heroku knows ${allowed.join(', ')}`);
    }
  }
}

function checkConfig(reader: Reader, node: unknown, where: string, at: Node): void {
  for (const pair of pairsOf(reader, node, where, at)) {
    if (!isText(pair.value) && !(isScalar(pair.value) && typeof pair.value.value === 'boolean')) {
      report(reader, (pair.value as Node) ?? (pair.key as Node), `${where}.${keyOf(pair)} must be a single value`);
    }
  }
}

function checkCommand(reader: Reader, node: unknown, where: string, at: Node): void {
  if (isText(node)) return;
  if (isSeq(node) && node.items.every(isText) && node.items.length > 0) return;
  report(reader, (node as Node) ?? at, `${where} must be a command: text, or a list of text`);
}

export function checkHerokuYmlText(text: string, contextDir?: string): HerokuYmlCheck['problems'] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const reader: Reader = {
    line: (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1),
    problems: [],
  };
  for (const error of doc.errors) {
    reader.problems.push({ line: lineCounter.linePos(error.pos[0]).line, message: error.message.split('\n')[0] ?? '' });
  }
  if (reader.problems.length > 0) return reader.problems;
  if (doc.contents === null) return [{ line: 1, message: 'heroku.yml is empty: it needs at least a build section' }];
  const top = pairsOf(reader, doc.contents, 'heroku.yml', doc.contents as Node);
  checkKeys(reader, top, 'heroku.yml', TOP);
  const section = (name: string) => top.find((p) => keyOf(p) === name);
  /** A section's pairs, its unknown keys reported, and a lookup by key. */
  const open = (pair: Pair, where: string, allowed: string[]) => {
    const pairs = pairsOf(reader, pair.value, where, pair.key as Node);
    checkKeys(reader, pairs, where, allowed);
    return { pairs, get: (key: string) => pairs.find((p) => keyOf(p) === key) };
  };
  /** `image:` must name a process type that build.docker builds. */
  const checkImage = (image: Pair | undefined, where: string) => {
    const name = (image?.value as { value?: unknown } | undefined)?.value;
    if (image && (typeof name !== 'string' || !built.has(name))) {
      report(
        reader,
        image.value as Node,
        `${where} must be a process type built in build.docker (${[...built].join(', ') || 'none'})`,
      );
    }
  };

  const built = new Set<string>();
  const build = section('build');
  if (!build)
    report(reader, doc.contents as Node, 'heroku.yml has no build section: Heroku would not know what to build');
  else {
    const { get } = open(build, 'build', ['docker', 'config']);
    const docker = get('docker');
    if (!docker)
      report(
        reader,
        build.key as Node,
        'build has no docker section: name a Dockerfile per process, e.g. web: Dockerfile',
      );
    for (const proc of docker ? pairsOf(reader, docker.value, 'build.docker', docker.key as Node) : []) {
      const name = keyOf(proc);
      built.add(name);
      if (!PROCESS_TYPE.test(name))
        report(reader, proc.key as Node, `"${name}" is not a process type (letters, digits, _ -)`);
      let dockerfile: unknown;
      if (isText(proc.value)) dockerfile = (proc.value as { value: unknown }).value;
      else if (isMap(proc.value)) {
        const inner = pairsOf(reader, proc.value, `build.docker.${name}`, proc.key as Node);
        checkKeys(reader, inner, `build.docker.${name}`, ['dockerfile', 'target']);
        dockerfile = (inner.find((p) => keyOf(p) === 'dockerfile')?.value as { value?: unknown } | undefined)?.value;
        if (dockerfile === undefined) report(reader, proc.key as Node, `build.docker.${name} needs a dockerfile`);
      } else report(reader, (proc.value as Node) ?? (proc.key as Node), `build.docker.${name} must name a Dockerfile`);
      if (typeof dockerfile === 'string' && contextDir !== undefined) {
        const path = resolve(contextDir, dockerfile);
        if (!path.startsWith(resolve(contextDir) + sep) || !existsSync(path)) {
          report(
            reader,
            (proc.value as Node) ?? (proc.key as Node),
            `build.docker.${name}: ${dockerfile} is not in the project`,
          );
        }
      }
    }
    const config = get('config');
    if (config) checkConfig(reader, config.value, 'build.config', config.key as Node);
  }

  const setup = section('setup');
  if (setup) {
    const { get } = open(setup, 'setup', ['addons', 'config']);
    const addons = get('addons');
    if (addons) {
      if (!isSeq(addons.value))
        report(reader, addons.key as Node, 'setup.addons must be a list of - plan: ... entries');
      else
        for (const item of addons.value.items) {
          const inner = pairsOf(reader, item, 'an add-on', addons.key as Node);
          checkKeys(reader, inner, 'an add-on', ['plan', 'as']);
          if (isMap(item) && !inner.some((p) => keyOf(p) === 'plan'))
            report(reader, item as Node, 'an add-on needs a plan');
        }
    }
    const config = get('config');
    if (config) checkConfig(reader, config.value, 'setup.config', config.key as Node);
  }

  const release = section('release');
  if (release) {
    const { get } = open(release, 'release', ['image', 'command']);
    const command = get('command');
    if (!command) report(reader, release.key as Node, 'release needs a command');
    else checkCommand(reader, command.value, 'release.command', command.key as Node);
    checkImage(get('image'), 'release.image');
  }

  const run = section('run');
  if (run) {
    for (const proc of pairsOf(reader, run.value, 'run', run.key as Node)) {
      const name = keyOf(proc);
      if (isText(proc.value)) continue;
      const { get } = open(proc, `run.${name}`, ['command', 'image']);
      const command = get('command');
      if (command) checkCommand(reader, command.value, `run.${name}.command`, command.key as Node);
      else if (isMap(proc.value)) report(reader, proc.key as Node, `run.${name} needs a command`);
      checkImage(get('image'), `run.${name}.image`);
    }
  }
  return reader.problems.sort((a, b) => a.line - b.line);
}

/**
 * Reads `<contextDir>/heroku.yml` (absent is fine: a registry deploy does not need it) and checks it. A
 * heroku.yml that is a link to a file outside the context folder is refused, not read.
 */
export async function checkHerokuYml(contextDir: string): Promise<HerokuYmlCheck> {
  const path = join(contextDir, 'heroku.yml');
  const dir = await realpath(contextDir).catch(() => null);
  const real = dir === null ? null : await realpath(path).catch(() => null);
  if (dir === null || real === null) return { path, found: false, problems: [] };
  const inside = await insideContext(dir, real);
  let text: string;
  try {
    text = await readFile(inside, 'utf8');
  } catch {
    return { path, found: false, problems: [] };
  }
  return { path, found: true, problems: checkHerokuYmlText(text, contextDir) };
}
