/**
 * The docker CLI as the oracle of build fidelity: runs /usr/bin/docker (the 20.10 CLI, which runs BuildKit builds
 * natively) with plain progress output, and reads its text into steps, verdicts, the failing step and exit codes.
 * Written from the CLI's output format alone: it shares no code with Berth's decoders, fold or Dockerfile parser.
 */
import { spawn } from 'node:child_process';

export const CLI = '/usr/bin/docker';

export type Verdict = 'cached' | 'done' | 'error' | 'metadata';

export interface OracleStep {
  /** Legacy: the "Step n" number. BuildKit: the position in "[stage i/n]". */
  number: number;
  /** BuildKit's stage name in "[stage i/n]"; null without one (a single-stage build) and for legacy. */
  stage: string | null;
  /** The instruction as the CLI printed it. */
  text: string;
  verdict: Verdict;
  /** The step's output lines, as a terminal would show them (the last redraw of a \r line). */
  output: string[];
}

export interface OracleBuild {
  /** The CLI's own exit status. */
  status: number;
  steps: OracleStep[];
  /** The step the CLI shows failing; null when the build failed outside any step (or did not fail). */
  failing: OracleStep | null;
  /** The failed command's exit code, from the CLI's error text. */
  commandExit: number | null;
  /** Everything the CLI printed, for failure messages. */
  text: string;
}

export interface CliBuild {
  builder: 'buildkit' | 'legacy';
  contextDir: string;
  buildArgs: Record<string, string>;
  target?: string;
  tag: string;
}

/** Runs the build with the CLI and reads its output. */
export async function cliBuild(build: CliBuild): Promise<OracleBuild> {
  // --force-rm, as Berth asks: the container of a failed RUN goes too (it prints nothing more)
  const args = ['build', '--force-rm', '-t', build.tag];
  if (build.builder === 'buildkit') args.push('--progress=plain');
  for (const [name, value] of Object.entries(build.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  if (build.target) args.push('--target', build.target);
  args.push(build.contextDir);
  const { status, stdout, stderr } = await run(args, { DOCKER_BUILDKIT: build.builder === 'buildkit' ? '1' : '0' });
  // BuildKit's plain progress goes to stderr; the legacy build stream to stdout, and its final error to stderr
  return build.builder === 'buildkit' ? readBuildKit(stderr, status) : readLegacy(stdout, status, stderr);
}

function run(args: string[], env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        status: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

const terminal = (line: string): string => line.slice(line.lastIndexOf('\r') + 1);
const exitOf = (text: string): number | null =>
  Number(/(?:returned a non-zero code|exit code): (\d+)/.exec(text)?.[1] ?? Number.NaN) || null;

/**
 * Legacy plain output: "Step n/m : TEXT", then " ---> Using cache" (cache hit), " ---> Running in <id>" (a
 * container ran), the command's output, "Removing intermediate container <id>", " ---> <id>" (the step's
 * image). A FROM prints only its image id unless it pulls. A step with neither container nor image (a global
 * ARG) only set configuration. A failed build ends with the error text and no " ---> <id>" for the last step.
 */
export function readLegacy(text: string, status: number, errors = ''): OracleBuild {
  const steps: (OracleStep & { cached: boolean; worked: boolean; pulled: boolean; closed: boolean })[] = [];
  let output = false;
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop(); // no line after the last newline
  for (const raw of lines) {
    // the engine wraps the container's stderr writes in red: the reset after the last newline is no line
    if (raw === '\u001b[0m') continue;
    const line = raw.replaceAll('\u001b[91m', '').replaceAll('\u001b[0m', '');
    const header = /^Step (\d+)\/\d+ : (.*)$/s.exec(line);
    const current = steps.at(-1);
    if (header) {
      steps.push({
        ...{ number: Number(header[1]), stage: null, text: header[2] ?? '', verdict: 'metadata', output: [] },
        ...{ cached: false, worked: false, pulled: false, closed: false },
      });
      output = false;
      continue;
    }
    if (!current || current.closed) continue;
    if (line === ' ---> Using cache') current.cached = true;
    else if (/^ ---> Running in [0-9a-f]+$/.test(line)) {
      current.worked = true;
      output = true;
    } else if (/^Removing intermediate container /.test(line)) output = false;
    else if (/^ ---> [0-9a-f]{12}$/.test(line)) {
      current.worked = true;
      current.closed = true;
    } else if (/^[0-9a-z.-]+: Pulling from |^Status: Downloaded/.test(line)) current.pulled = true;
    else if (output) current.output.push(terminal(line));
  }
  for (const step of steps) {
    const from = /^FROM\s/i.test(step.text);
    step.verdict = step.cached
      ? 'cached'
      : from
        ? step.pulled
          ? 'done'
          : 'cached'
        : step.worked
          ? 'done'
          : 'metadata';
  }
  const last = steps.at(-1);
  // The last step failed when the build failed and it never got its image (a global ARG has none to get).
  const failing = status !== 0 && last && !last.closed && last.verdict !== 'metadata' ? last : null;
  if (failing) failing.verdict = 'error';
  const plain = steps.map(({ number, stage, text, verdict, output }) => ({ number, stage, text, verdict, output }));
  return {
    status,
    steps: plain,
    failing: failing ? (plain[steps.indexOf(failing)] ?? null) : null,
    commandExit: status === 0 ? null : exitOf(errors),
    text: `${text}${errors}`,
  };
}

/**
 * BuildKit plain output: blocks of "#k <vertex name>", "#k <seconds> <output>", and "#k CACHED", "#k DONE
 * <time>", "#k ERROR: <message>" or "#k CANCELED". Dockerfile steps are the vertexes named "[stage i/n] TEXT".
 */
export function readBuildKit(text: string, status: number): OracleBuild {
  const vertexes = new Map<string, { name: string; verdict: Verdict | null; output: string[] }>();
  for (const line of text.split('\n')) {
    const match = /^#(\d+) (.*)$/s.exec(line);
    if (!match) continue;
    const [, id = '', rest = ''] = match;
    const vertex = vertexes.get(id);
    if (!vertex) {
      vertexes.set(id, { name: rest, verdict: null, output: [] });
      continue;
    }
    if (rest === 'CACHED') vertex.verdict = 'cached';
    else if (/^DONE /.test(rest)) vertex.verdict ??= 'done';
    else if (/^(ERROR|CANCELED)\b/.test(rest)) vertex.verdict = 'error';
    else {
      const out = /^\d+\.\d+ (.*)$/s.exec(rest);
      if (out) vertex.output.push(terminal(out[1] ?? ''));
    }
  }
  const steps: OracleStep[] = [];
  let failing: OracleStep | null = null;
  for (const vertex of vertexes.values()) {
    const name = /^\[(?:(\S+) )?(\d+)\/\d+\] (.*)$/.exec(vertex.name);
    if (!name) continue;
    const step: OracleStep = {
      number: Number(name[2]),
      stage: name[1] ?? null,
      text: name[3] ?? '',
      verdict: vertex.verdict ?? 'done',
      output: vertex.output,
    };
    steps.push(step);
    if (step.verdict === 'error' && !failing) failing = step;
  }
  return { status, steps, failing, commandExit: status === 0 ? null : exitOf(text), text };
}

/** The 1-based line where a printed instruction starts in the Dockerfile source (first match at or after `from`). */
export function lineOfText(source: string, text: string, from = 1): number | null {
  const squash = (s: string) => s.replace(/\s+/g, '');
  const wanted = squash(text);
  const lines = source.split('\n');
  for (let i = from - 1; i < lines.length; i++) {
    const first = squash((lines[i] ?? '').replace(/\\\s*$/, ''));
    if (first && !first.startsWith('#') && wanted.toUpperCase().startsWith(first.toUpperCase())) return i + 1;
  }
  return null;
}
