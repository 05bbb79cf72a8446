/**
 * The Dockerfile rules: each reads the parsed Dockerfile (core/dockerfile, on dockerfile-ast) and the facts
 * gathered about its context, and reports findings with the line, why it matters, the fix in words, and the
 * fixed text Berth can write. Pure: the figures that need the disk (context bytes) arrive in `facts`.
 */
import { createHash } from 'node:crypto';
import {
  type AdviceFinding,
  type AdviceFix,
  type AdvicePrediction,
  looksSecret,
  MASKED,
  parseImageReference,
} from '../../../contract';
import { neededStages } from '../../build/plan';
import {
  type DockerfileInstruction,
  type DockerfileStage,
  findStage,
  METADATA_KEYWORDS,
  type ParsedDockerfile,
  parseDockerfile,
} from '../../dockerfile';
import { unifiedDiff } from './diff';
import { expand, globalVars, stageVars } from './dockerfile-vars';
import { chooseEditedFile, predictCachedAfterEdit, sourcesOf, takes } from './predict';

/** The .dockerignore facts the IO side measured on the real context (see advisor.ts). */
export interface DockerignoreFacts {
  /** The file's text, null when there is none. */
  text: string | null;
  sha256: string | null;
  /** What each leaking entry would keep out of the context, measured alone. */
  entries: Array<{ label: string; patterns: string[]; bytes: number }>;
  /** The text the fix writes, and the context bytes the engine would then be sent (the file itself counted). */
  fixText: string;
  bytesAfterFix: number;
}

export interface AdviceFacts {
  source: string;
  /** The Dockerfile's path inside the context, forward slashes. */
  dockerfilePath: string;
  dockerfileSha256: string;
  target?: string | undefined;
  /** The PORT the project's run settings give the app; it wins over the Dockerfile's ENV PORT. */
  runPort?: number | undefined;
  /** The paths the build sends (after .dockerignore). */
  contextFiles: readonly string[];
  contextBytes: number;
  dockerignore: DockerignoreFacts;
  /** Digest-pinned references for base images the engine has locally: `node:latest` -> `node@sha256:...`. */
  pinnedBases?: Readonly<Record<string, string>>;
}

type Draft = Omit<AdviceFinding, 'id' | 'fix' | 'prediction' | 'details'> & {
  details?: AdviceFinding['details'];
  /** Values the diff must not show (a secret's value): masked there, written as is. */
  masked?: string[];
  newSource?: string | null;
  summary?: string;
  prediction?: Partial<AdvicePrediction>;
};

interface Context {
  facts: AdviceFacts;
  parsed: ParsedDockerfile;
  /** Every stage the build of the target needs. */
  needed: DockerfileStage[];
  /** The stages whose layers make the shipped image: the target (or last) stage and the stages it is FROM. */
  chain: DockerfileStage[];
  lines: string[];
}

// ───────────────────────────── helpers ─────────────────────────────

/** Replaces lines start..end (1-based, inclusive) with `replacement`; an empty end before start inserts. */
function editLines(lines: readonly string[], start: number, end: number, replacement: string[]): string[] {
  return [...lines.slice(0, start - 1), ...replacement, ...lines.slice(end)];
}

const joinLines = (lines: readonly string[]): string => lines.join('\n');

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** The diff as shown, with the hash the apply path compares: what is written is exactly what was shown. */
const shownDiff = (diff: string) => ({ diff, diffSha256: createHash('sha256').update(diff).digest('hex') });

const isWholeContext = (source: string): boolean => /^(\.\/?|\.\/\*|\*)$/.test(source);

function finalChain(parsed: ParsedDockerfile, target?: string): DockerfileStage[] {
  const chain: DockerfileStage[] = [];
  let stage = target ? findStage(parsed.stages, target) : parsed.stages.at(-1);
  while (stage && !chain.includes(stage)) {
    chain.unshift(stage);
    const base = findStage(parsed.stages, stage.base);
    stage = base && base.index < stage.index ? base : undefined;
  }
  return chain;
}

/** The last instruction that adds a layer in a stage (RUN, COPY, ADD, WORKDIR; FROM when there is none). */
const lastLayerStep = (stage: DockerfileStage): DockerfileInstruction =>
  [...stage.instructions].reverse().find((i) => !METADATA_KEYWORDS.has(i.keyword)) ?? stage.instructions[0]!;

// ───────────────────────────── the rules ─────────────────────────────

const INSTALLERS: Array<{ test: RegExp; manifests: string[] }> = [
  { test: /\bnpm\s+(ci|install|i)\b/, manifests: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json'] },
  { test: /\byarn(\s+install)?\s*($|&&|;|\||--)/, manifests: ['package.json', 'yarn.lock', '.yarnrc.yml'] },
  { test: /\bpnpm\s+(install|i)\b/, manifests: ['package.json', 'pnpm-lock.yaml'] },
  { test: /\bpip3?\s+install\b/, manifests: ['requirements.txt'] },
  { test: /\bpoetry\s+install\b/, manifests: ['pyproject.toml', 'poetry.lock'] },
  { test: /\bbundle\s+install\b/, manifests: ['Gemfile', 'Gemfile.lock'] },
  { test: /\bgo\s+mod\s+download\b/, manifests: ['go.mod', 'go.sum'] },
  { test: /\bcomposer\s+install\b/, manifests: ['composer.json', 'composer.lock'] },
];

function copyBeforeInstall(ctx: Context): Draft[] {
  const drafts: Draft[] = [];
  for (const stage of ctx.needed) {
    const copy = stage.instructions.find(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') &&
        !i.flags.some((f) => f.name === 'from') &&
        sourcesOf(i).some(isWholeContext),
    );
    if (!copy) continue;
    const install = stage.instructions.find(
      (i) => i.line > copy.line && i.keyword === 'RUN' && INSTALLERS.some((m) => m.test.test(i.args)),
    );
    if (!install) continue;
    const installer = INSTALLERS.find((m) => m.test.test(install.args))!;
    const requirement = /-r\s+(\S+)/.exec(install.args)?.[1];
    const wanted = requirement ? [requirement.replace(/^\.\//, '')] : installer.manifests;
    const manifests = wanted.filter((m) => ctx.facts.contextFiles.includes(m));
    const words = copy.json ?? copy.words;
    const destination = words.at(-1) ?? '.';
    let newSource: string | null = null;
    if (manifests.length > 0 && !copy.heredoc && !install.heredoc) {
      const flags = copy.flags.map((f) => (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`));
      const dir = manifests.length > 1 && !destination.endsWith('/') ? `${destination}/` : destination;
      const early = ['COPY', ...flags, ...manifests, dir].join(' ');
      const copyLines = ctx.lines.slice(copy.line - 1, copy.endLine);
      const moved = editLines(ctx.lines, install.endLine + 1, install.endLine, copyLines);
      newSource = joinLines(editLines(moved, copy.line, copy.endLine, [early]));
    }
    drafts.push({
      rule: 'copy-before-install',
      line: copy.line,
      endLine: copy.endLine,
      title: `The whole context is copied (line ${copy.line}) before the dependency install (line ${install.line})`,
      why:
        'Every edit to any source file changes this COPY, so the cache misses here and the dependency install ' +
        'after it runs again on every build, although the dependencies did not change.',
      fixText:
        manifests.length > 0
          ? `Copy only ${manifests.join(', ')} before the install, and the rest of the context after it: the install then stays cached until the manifests change.`
          : `Copy only the dependency manifests (${wanted.join(', ')}) before the install, and the rest after it. None of them is in the context, so Berth cannot write this fix.`,
      newSource,
      summary: `Copy ${manifests.join(', ')} before the install; the whole context after it`,
    });
  }
  return drafts;
}

function shellForm(ctx: Context): Draft[] {
  const final = ctx.chain.at(-1);
  if (!final) return [];
  const drafts: Draft[] = [];
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const last = [...final.instructions].reverse().find((i) => i.keyword === keyword);
    if (!last || last.json !== null || /^exec\s/.test(last.args) || last.heredoc) continue;
    const simple = /^[\w./:=@%+,-]+(\s+[\w./:=@%+,-]+)*$/.test(last.args);
    const oneCommand = !/[;&|`\n]|\$\(/.test(last.args);
    const replacement = simple
      ? `${keyword} ${JSON.stringify(last.args.split(/\s+/)).replace(/","/g, '", "')}`
      : oneCommand
        ? `${keyword} exec ${last.args}`
        : null;
    drafts.push({
      rule: 'shell-form',
      line: last.line,
      endLine: last.endLine,
      title: `${keyword} in shell form`,
      why:
        `In shell form the engine runs /bin/sh -c "${last.args}": the shell is PID 1 and does not pass SIGTERM on, ` +
        'so `docker stop` waits 10 s and then kills the app, with no graceful shutdown.' +
        (keyword === 'ENTRYPOINT' ? ' A shell-form ENTRYPOINT also ignores CMD and `docker run` arguments.' : ''),
      fixText: replacement
        ? `Write it as ${replacement}: the app itself is PID 1 and receives SIGTERM.`
        : 'Write it in exec form (JSON array) or start the last command with `exec`; this one chains several commands, so Berth leaves the rewrite to you (a start script ending in `exec` works).',
      newSource: replacement ? joinLines(editLines(ctx.lines, last.line, last.endLine, [replacement])) : null,
      summary: `Exec form for ${keyword}`,
    });
  }
  return drafts;
}

/** The needed stages FROM an image with no tag or `latest` (resolved through the global ARG defaults). */
function unpinnedStages(parsed: ParsedDockerfile, needed: readonly DockerfileStage[]) {
  const globals = globalVars(parsed);
  return needed.flatMap((stage) => {
    const earlier = findStage(parsed.stages, stage.base);
    if (earlier && earlier.index < stage.index) return [];
    const resolved = expand(stage.base, globals);
    if (resolved.includes('$') || resolved.toLowerCase() === 'scratch') return [];
    const ref = parseImageReference(resolved);
    if (!ref || ref.digest !== null || (ref.tag !== null && ref.tag !== 'latest')) return [];
    return [{ stage, resolved, ref }];
  });
}

/** The unpinned base images of this Dockerfile and target: what the IO side asks the engine a digest for. */
export function unpinnedBases(source: string, target?: string): string[] {
  const parsed = parseDockerfile(source);
  const needed = neededStages(parsed.stages, target);
  const stages = parsed.stages.filter((s) => needed.has(s.index));
  return [...new Set(unpinnedStages(parsed, stages).map((u) => u.resolved))];
}

function unpinnedBase(ctx: Context): Draft[] {
  const drafts: Draft[] = [];
  for (const { stage, resolved, ref } of unpinnedStages(ctx.parsed, ctx.needed)) {
    const pinned = ctx.facts.pinnedBases?.[resolved];
    let newSource: string | null = null;
    if (pinned) {
      // The reference is written in the FROM line itself, or in the default of the global ARG it uses.
      const from = stage.instructions[0]!;
      const arg = ctx.parsed.args.find((a) => a.stage < 0 && a.defaultValue === resolved);
      const at = from.args.includes(resolved) ? from : arg && ctx.parsed.instructions.find((i) => i.line === arg.line);
      if (at && at.line === at.endLine) {
        const line = ctx.lines[at.line - 1]!;
        newSource = joinLines(editLines(ctx.lines, at.line, at.line, [line.replace(resolved, pinned)]));
      }
    }
    drafts.push({
      rule: 'unpinned-base',
      line: stage.line,
      endLine: stage.line,
      title: `The base image ${resolved} is not pinned`,
      why:
        `${ref.tag === null ? 'With no tag the engine takes `latest`, which' : '`latest`'} moves whenever the image's ` +
        'publisher pushes: the same Dockerfile builds a different image next month, and cached layers are thrown away.',
      fixText: pinned
        ? `Pin it to the digest of the image this engine has: ${pinned}.`
        : `Name a version tag (such as ${ref.repository}:<version>) or a digest (${ref.repository}@sha256:...). This engine has no digest for ${resolved}, so Berth cannot choose one for you.`,
      newSource,
      summary: `Pin ${resolved} to ${pinned ?? 'a digest'}`,
    });
  }
  return drafts;
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;
const REMOTE = /^(https?:\/\/|git@|git:\/\/)/i;

function addInsteadOfCopy(ctx: Context): Draft[] {
  return ctx.needed.flatMap((stage) =>
    stage.instructions
      .filter(
        (i) =>
          i.keyword === 'ADD' &&
          !i.heredoc &&
          !i.flags.some((f) => f.name === 'checksum' || f.name === 'keep-git-dir') &&
          sourcesOf(i).length > 0 &&
          sourcesOf(i).every((s) => !ARCHIVE.test(s) && !REMOTE.test(s)),
      )
      .map((add): Draft => {
        const first = ctx.lines[add.line - 1]!;
        return {
          rule: 'add-instead-of-copy',
          line: add.line,
          endLine: add.endLine,
          title: 'ADD of local files, where COPY would do',
          why:
            'ADD also fetches URLs and unpacks archives: a later change of the sources (a .tar.gz) silently changes ' +
            'what lands in the image. COPY only copies, so it says exactly what it does.',
          fixText: 'Use COPY; keep ADD for remote sources and archives you mean to unpack.',
          newSource: joinLines(editLines(ctx.lines, add.line, add.line, [first.replace(/^(\s*)add\b/i, '$1COPY')])),
          summary: 'ADD becomes COPY',
        };
      }),
  );
}

interface Cleanup {
  manager: string;
  installs: RegExp;
  cleaned: RegExp;
  apply: (text: string) => string;
  how: string;
}

const CLEANUPS: Cleanup[] = [
  {
    manager: 'apt-get',
    installs: /\bapt(-get)?\s+(-\S+\s+)*install\b/,
    cleaned: /rm\s+-r?f?r?\s+\/var\/lib\/apt\/lists/,
    apply: (text) => `${text} && rm -rf /var/lib/apt/lists/*`,
    how: 'end the RUN with `&& rm -rf /var/lib/apt/lists/*`',
  },
  {
    manager: 'apk',
    installs: /\bapk\s+(-\S+\s+)*add\b/,
    cleaned: /--no-cache\b|rm\s+-r?f?r?\s+\/var\/cache\/apk/,
    apply: (text) => text.replace(/\bapk(\s+)add\b/, 'apk$1add --no-cache'),
    how: 'use `apk add --no-cache`',
  },
  {
    manager: 'yum',
    installs: /\byum\s+(-\S+\s+)*install\b/,
    cleaned: /yum\s+clean\s+all|rm\s+-r?f?r?\s+\/var\/cache\/yum/,
    apply: (text) => `${text} && yum clean all`,
    how: 'end the RUN with `&& yum clean all`',
  },
  {
    manager: 'dnf',
    installs: /\b(micro)?dnf\s+(-\S+\s+)*install\b/,
    cleaned: /dnf\s+clean\s+all|rm\s+-r?f?r?\s+\/var\/cache\/dnf/,
    apply: (text) => `${text} && ${/microdnf/.test(text) ? 'microdnf' : 'dnf'} clean all`,
    how: 'end the RUN with `&& dnf clean all`',
  },
  {
    manager: 'npm',
    installs: /\bnpm\s+(ci|install|i)\b/,
    cleaned: /npm\s+cache\s+clean/,
    apply: (text) => `${text} && npm cache clean --force`,
    how: 'end the RUN with `&& npm cache clean --force`',
  },
  {
    manager: 'pip',
    installs: /\bpip3?\s+install\b/,
    cleaned: /--no-cache-dir\b/,
    apply: (text) => text.replace(/\b(pip3?)(\s+)install\b/g, '$1$2install --no-cache-dir'),
    how: 'use `pip install --no-cache-dir`',
  },
];

function installWithoutCleanup(ctx: Context): Draft[] {
  const drafts: Draft[] = [];
  for (const stage of ctx.chain) {
    const vars = stageVars(ctx.parsed, ctx.chain);
    for (const run of stage.instructions.filter((i) => i.keyword === 'RUN')) {
      if (run.flags.some((f) => f.name === 'mount' && /type=cache/.test(f.value ?? ''))) continue;
      const text = run.json ? run.json.join(' ') : run.args;
      const missing = CLEANUPS.filter(
        (c) => c.installs.test(text) && !c.cleaned.test(text) && !(c.manager === 'pip' && vars.has('PIP_NO_CACHE_DIR')),
      );
      if (missing.length === 0) continue;
      let newSource: string | null = null;
      if (!run.heredoc && !run.json) {
        // Append at the end of the instruction's last line (continuations keep their layout).
        const last = run.endLine - 1;
        const fixed = [...ctx.lines];
        for (const cleanup of missing) {
          if (cleanup.manager === 'apk' || cleanup.manager === 'pip') {
            for (let n = run.line - 1; n <= last; n++) fixed[n] = cleanup.apply(fixed[n]!);
          } else {
            fixed[last] = cleanup.apply(fixed[last]!.replace(/\s+$/, ''));
          }
        }
        newSource = joinLines(fixed);
      }
      const names = missing.map((c) => c.manager).join(' and ');
      drafts.push({
        rule: 'install-without-cleanup',
        line: run.line,
        endLine: run.endLine,
        title: `${names} install leaves its cache in the layer`,
        why:
          'Files deleted in a later RUN still ship in this layer: the package lists and download cache stay in the ' +
          'image, making every pull bigger. The cleanup must happen in the same RUN.',
        fixText: `${missing.map((c) => c.how).join('; ')}.`,
        newSource,
        summary: `Clean the ${names} cache in the same RUN`,
        prediction: { image: 'smaller' },
      });
    }
  }
  return drafts;
}

function secretsInImage(ctx: Context): Draft[] {
  const drafts: Draft[] = [];
  for (const stage of ctx.needed) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ARG') {
        const arg = ctx.parsed.args.find((a) => a.line === instruction.line);
        if (!arg || !looksSecret(arg.name)) continue;
        drafts.push(secretArg(ctx, stage, instruction, arg.name));
      } else if (instruction.keyword === 'ENV') {
        const pairs = instruction.env.filter((p) => looksSecret(p.name) && p.value !== '');
        for (const pair of pairs) {
          const only = instruction.env.length === 1;
          drafts.push({
            rule: 'secret-in-image',
            line: instruction.line,
            endLine: instruction.endLine,
            title: `ENV ${pair.name} looks like a secret`,
            why:
              'ENV values are stored in the image configuration: anyone who has the image reads them with ' +
              '`docker inspect` or `docker history`, and every container gets them.',
            fixText: only
              ? `Remove ENV ${pair.name} from the Dockerfile and give it to the container at run time (\`docker run -e ${pair.name}\`, or the platform's settings).`
              : `Remove ${pair.name} from this ENV and give it at run time; this ENV sets several variables, so Berth leaves the edit to you.`,
            newSource: only ? joinLines(editLines(ctx.lines, instruction.line, instruction.endLine, [])) : null,
            summary: `Remove ENV ${pair.name}`,
            masked: [pair.value],
          });
        }
      }
    }
  }
  return drafts;
}

function secretArg(ctx: Context, stage: DockerfileStage, arg: DockerfileInstruction, name: string): Draft {
  const uses = new RegExp(`\\$\\{?${name}\\b`);
  const users = ctx.parsed.instructions.filter((i) => i.line > arg.line && uses.test(i.args));
  const runsInStage = users.every(
    (i) => i.keyword === 'RUN' && (arg.stage < 0 || i.stage === stage.index) && !i.heredoc && !i.json,
  );
  let newSource: string | null = null;
  if (runsInStage && arg.line === arg.endLine) {
    let lines = [...ctx.lines];
    for (const run of [...users].reverse()) {
      const first = lines[run.line - 1]!;
      lines[run.line - 1] = first.replace(
        /^(\s*RUN\s+)((?:--\S+\s+)*)/i,
        `$1$2--mount=type=secret,id=${name} export ${name}="$(cat /run/secrets/${name})" && `,
      );
    }
    lines = editLines(lines, arg.line, arg.endLine, []);
    newSource = joinLines(lines);
  }
  return {
    rule: 'secret-in-image',
    line: arg.line,
    endLine: arg.endLine,
    title: `ARG ${name} looks like a secret`,
    why:
      'A build arg value is kept in the image history: `docker history` shows it to anyone who has the image, ' +
      'even when no layer keeps the file it was used for.',
    fixText: newSource
      ? `Pass it as a BuildKit secret: the RUN that uses it reads it from \`--mount=type=secret,id=${name}\`, and Berth's build form passes the value as a secret (BuildKit only).`
      : `Pass it as a BuildKit secret (\`RUN --mount=type=secret,id=${name}\`) instead of an ARG; it is used outside a plain RUN here, so Berth leaves the rewrite to you.`,
    newSource,
    summary: `${name} becomes a BuildKit secret`,
  };
}

function exposeMismatch(ctx: Context): Draft[] {
  const final = ctx.chain.at(-1);
  if (!final) return [];
  const vars = stageVars(ctx.parsed, ctx.chain);
  const port = ctx.facts.runPort !== undefined ? String(ctx.facts.runPort) : vars.get('PORT');
  if (!port || !/^\d+$/.test(port)) return [];
  const from = ctx.facts.runPort !== undefined ? 'the run settings give it' : 'its ENV says';
  const exposes = final.instructions.filter((i) => i.keyword === 'EXPOSE');
  if (exposes.length === 0) return [];
  const exposed = exposes.flatMap((i) => i.words.map((w) => expand(w, vars).replace(/\/(tcp|udp)$/i, '')));
  if (exposed.includes(port)) return [];
  const last = exposes.at(-1)!;
  // $PORT keeps the two together when the Dockerfile sets PORT to the port the app reads; else the number.
  const exposeTo = vars.get('PORT') === port ? '$PORT' : port;
  const single = last.words.length === 1 && exposes.length === 1 && last.line === last.endLine;
  return [
    {
      rule: 'expose-port-mismatch',
      line: last.line,
      endLine: last.endLine,
      title: `EXPOSE ${exposed.join(' ')}, but the app reads PORT=${port} (${from})`,
      why:
        'The app listens on the PORT it is given, so the exposed port is not the one that answers: `docker run -P`, ' +
        'Berth and platforms that read EXPOSE publish a port where nothing listens.',
      fixText: single
        ? exposeTo === '$PORT'
          ? 'Expose $PORT, so the two can never disagree again.'
          : `Expose ${port}, the PORT the app is run with.`
        : `Expose ${port} (the PORT the app reads); this EXPOSE names several ports, so Berth leaves the edit to you.`,
      newSource: single ? joinLines(editLines(ctx.lines, last.line, last.endLine, [`EXPOSE ${exposeTo}`])) : null,
      summary: `EXPOSE ${exposeTo}`,
    },
  ];
}

function runsAsRoot(ctx: Context): Draft[] {
  const final = ctx.chain.at(-1);
  if (!final) return [];
  const users = ctx.chain.flatMap((s) => s.instructions.filter((i) => i.keyword === 'USER'));
  const lastUser = users.at(-1);
  const vars = stageVars(ctx.parsed, ctx.chain);
  const user = lastUser ? expand(lastUser.words[0] ?? '', vars) : null;
  if (user !== null && !/^(root|0)(:.*)?$/.test(user)) return [];
  const base = expand(ctx.chain[0]?.base ?? '', globalVars(ctx.parsed));
  // Images built on the node images (node, cimg/node, a local node base) have the `node` user (uid 1000).
  const name = /(^|[/-])node([-:@]|$)/.test(base) ? 'node' : '65534:65534';
  const after = lastLayerStep(final);
  const insertAt = Math.max(after.endLine, lastUser?.endLine ?? 0);
  return [
    {
      rule: 'runs-as-root',
      line: lastUser?.line ?? final.line,
      endLine: lastUser?.endLine ?? final.line,
      title: lastUser ? `The image runs as ${user}` : 'The image runs as root (no USER)',
      why:
        'A process running as root in the container is root on the host too if it escapes (a kernel or runtime ' +
        'bug), and it can write anywhere in the image. Few apps need it.',
      fixText: `Switch to an unprivileged user after the last step that needs root: USER ${name}${name === 'node' ? ' (the user the node images provide)' : ' (nobody, present in every base image)'}.`,
      newSource: joinLines(editLines(ctx.lines, insertAt + 1, insertAt, [`USER ${name}`])),
      summary: `USER ${name}`,
    },
  ];
}

function dockerignoreRule(ctx: Context): AdviceFinding | null {
  const facts = ctx.facts.dockerignore;
  const leaking = facts.entries.filter((e) => e.bytes > 0);
  if (facts.text !== null && leaking.length === 0) return null;
  const missing = facts.text === null;
  const path = '.dockerignore';
  return {
    id: 'dockerignore:0',
    rule: 'dockerignore',
    line: null,
    endLine: null,
    title: missing ? '.dockerignore is missing' : `.dockerignore lets in ${leaking.map((e) => e.label).join(', ')}`,
    why:
      'Everything in the context is sent to the engine before the build starts, and a COPY of the whole context ' +
      'puts it in the image: dependencies installed on this machine (node_modules) override the ones the image ' +
      'installs, .git and logs leak history and data, and any change to them misses the cache.',
    fixText: missing
      ? `Create .dockerignore excluding ${facts.entries.map((e) => e.patterns.join(', ')).join(', ')}.`
      : `Add ${leaking.map((e) => e.patterns.join(', ')).join(', ')} to .dockerignore.`,
    details: (missing ? facts.entries : leaking).map((e) => ({ label: e.label, bytes: e.bytes })),
    fix: {
      file: 'dockerignore',
      path,
      summary: missing ? 'Create .dockerignore' : 'Extend .dockerignore',
      ...shownDiff(unifiedDiff(path, facts.text, facts.fixText)),
      fileSha256: facts.sha256,
    },
    prediction: {
      contextBytes: { before: ctx.facts.contextBytes, after: facts.bytesAfterFix },
      cachedAfterEdit: null,
      // What leaves the context also leaves the image when the whole context is copied into it.
      image: wholeContextCopy(ctx) && leaking.length > 0 ? 'smaller' : 'about the same',
    },
  };
}

const wholeContextCopy = (ctx: Context): boolean =>
  ctx.needed.some((stage) =>
    stage.instructions.some(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') &&
        !i.flags.some((f) => f.name === 'from') &&
        sourcesOf(i).some(isWholeContext),
    ),
  );

/** Names a COPY source already says explicitly: `.dockerignore` must not exclude what the Dockerfile copies. */
export function copiedExplicitly(source: string, path: string): boolean {
  const parsed = parseDockerfile(source);
  return parsed.instructions.some(
    (i) =>
      (i.keyword === 'COPY' || i.keyword === 'ADD') &&
      !i.flags.some((f) => f.name === 'from') &&
      sourcesOf(i).some((s) => !isWholeContext(s) && (takes(s, path) || takes(path, s.replace(/^\.\//, '')))),
  );
}

const RULES: Array<(ctx: Context) => Draft[]> = [
  copyBeforeInstall,
  shellForm,
  unpinnedBase,
  addInsteadOfCopy,
  installWithoutCleanup,
  secretsInImage,
  exposeMismatch,
  runsAsRoot,
];

/** A finding, with the whole text its fix writes to its file (null: no fix Berth can write). */
export interface Advice {
  finding: AdviceFinding;
  newText: string | null;
}

/** Every finding for this Dockerfile and its context, in line order (.dockerignore first). */
export function adviseDockerfile(facts: AdviceFacts): Advice[] {
  const parsed = parseDockerfile(facts.source);
  const neededIndexes = neededStages(parsed.stages, facts.target);
  const ctx: Context = {
    facts,
    parsed,
    needed: parsed.stages.filter((s) => neededIndexes.has(s.index)),
    chain: finalChain(parsed, facts.target),
    lines: facts.source.split('\n'),
  };
  const editedFile = chooseEditedFile(facts.source, facts.contextFiles);
  const before = editedFile ? predictCachedAfterEdit(facts.source, editedFile, facts.target) : null;
  const findings = RULES.flatMap((rule) => rule(ctx)).map((draft): Advice => {
    const { newSource, summary, prediction, details, masked = [], ...rest } = draft;
    const mask = (text: string) => masked.reduce((out, value) => out.split(value).join(MASKED), text);
    const fix: AdviceFix | null =
      newSource && newSource !== facts.source
        ? {
            file: 'dockerfile',
            path: facts.dockerfilePath,
            summary: summary ?? draft.title,
            ...shownDiff(mask(unifiedDiff(facts.dockerfilePath, facts.source, newSource))),
            fileSha256: facts.dockerfileSha256,
          }
        : null;
    const after = newSource && editedFile ? predictCachedAfterEdit(newSource, editedFile, facts.target) : null;
    const finding: AdviceFinding = {
      ...rest,
      id: `${draft.rule}:${draft.line ?? 0}`,
      details: details ?? [],
      fix,
      prediction: {
        // The Dockerfile is always sent: the context changes by exactly the bytes the fix adds or removes.
        contextBytes: newSource
          ? { before: facts.contextBytes, after: facts.contextBytes - utf8Length(facts.source) + utf8Length(newSource) }
          : null,
        cachedAfterEdit:
          before && after && editedFile
            ? { before: before.cached, after: after.cached, of: after.of, editedFile }
            : null,
        image: 'about the same',
        ...prediction,
      },
    };
    return { finding, newText: fix ? (newSource ?? null) : null };
  });
  const ignore = dockerignoreRule(ctx);
  const all = ignore ? [{ finding: ignore, newText: facts.dockerignore.fixText }, ...findings] : findings;
  return all.sort((a, b) => (a.finding.line ?? 0) - (b.finding.line ?? 0));
}
