/**
 * The docker credential helper protocol (`docker-credential-<name> <action>`), as the docker CLI speaks it:
 * - `get`: stdin is the server URL; stdout `{"ServerURL","Username","Secret"}`; a login that is not there
 *   exits non-zero with "credentials not found in native keychain";
 * - `store`: stdin `{"ServerURL","Username","Secret"}`;
 * - `erase`: stdin is the server URL;
 * - `list`: stdout `{"<server URL>": "<username>", ...}`.
 * A Username of `<token>` means the Secret is an identity token.
 *
 * The program is run with an argument array (never a shell), with a deadline, and its output is capped.
 * A secret never appears in an error: whatever the helper prints is shown with the secret masked.
 */
import { spawn } from 'node:child_process';
import { BerthError, MASKED } from '../../contract';
import { findOnPath } from '../program-path';
import { HELPER_NAME } from './docker-config';

/** How long a helper may take to answer before Berth stops it (a keychain prompt can take a while). */
export const HELPER_DEADLINE_MS = 15_000;
/** More output than this is not a helper's answer. */
const MAX_STDOUT_BYTES = 1 << 20;
const MAX_STDERR_BYTES = 16 << 10;
/** How much of a helper's output an error quotes. */
const QUOTED_OUTPUT_CHARS = 500;
/** The docker-credential-helpers wording for a login that is not there. */
const NOT_FOUND = /credentials not found/i;
export const IDENTITY_TOKEN_USERNAME = '<token>';

export interface HelperLogin {
  username: string;
  /** A password, or an identity token when `identityToken` is true. */
  secret: string;
  identityToken: boolean;
}

export interface HelperOptions {
  deadlineMs?: number;
  env?: NodeJS.ProcessEnv;
}

interface Answer {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class CredentialHelper {
  readonly program: string;
  private readonly deadlineMs: number;
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(
    readonly name: string,
    options: HelperOptions = {},
  ) {
    if (!HELPER_NAME.test(name)) {
      throw new BerthError(
        'INVALID_INPUT',
        `"${name.slice(0, 80)}" is not a credential helper name.`,
        'Name a helper by its suffix (e.g. "pass" for docker-credential-pass) in config.json.',
      );
    }
    this.program = `docker-credential-${name}`;
    this.deadlineMs = options.deadlineMs ?? HELPER_DEADLINE_MS;
    this.env = options.env;
  }

  /** The login for `serverUrl`, or undefined when the helper holds none. */
  async get(serverUrl: string): Promise<HelperLogin | undefined> {
    const answer = await this.run('get', serverUrl);
    if (answer.code !== 0) {
      if (NOT_FOUND.test(answer.stdout) || NOT_FOUND.test(answer.stderr)) return undefined;
      throw this.failed('get', answer, []);
    }
    const value = this.json('get', answer) as { Username?: unknown; Secret?: unknown };
    if (typeof value.Username !== 'string' || typeof value.Secret !== 'string') {
      throw this.unreadable('get', 'it has no Username and Secret');
    }
    if (!value.Secret) return undefined;
    const identityToken = value.Username === IDENTITY_TOKEN_USERNAME;
    return { username: identityToken ? '' : value.Username, secret: value.Secret, identityToken };
  }

  async store(serverUrl: string, username: string, secret: string): Promise<void> {
    const input = JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret });
    const answer = await this.run('store', input, [secret]);
    if (answer.code !== 0) throw this.failed('store', answer, [secret]);
  }

  async erase(serverUrl: string): Promise<void> {
    const answer = await this.run('erase', serverUrl);
    if (answer.code !== 0 && !NOT_FOUND.test(answer.stdout) && !NOT_FOUND.test(answer.stderr)) {
      throw this.failed('erase', answer, []);
    }
  }

  /** Server URL → user name, for every login the helper holds. */
  async list(): Promise<Record<string, string>> {
    const answer = await this.run('list', '');
    if (answer.code !== 0) throw this.failed('list', answer, []);
    const value = this.json('list', answer);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.unreadable('list', 'it is not a JSON object');
    }
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }

  private run(action: string, input: string, secrets: string[] = []): Promise<Answer> {
    const program = findOnPath(this.program, (this.env ?? process.env).PATH);
    if (!program) return Promise.reject(notOnPath(this.name, this.program));
    return new Promise((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let settled = false;
      // Its own process group, so a helper that hangs in a child of its own is stopped with it.
      const child = spawn(program, [action], {
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: process.platform !== 'win32',
        windowsHide: true,
        ...(this.env && { env: this.env }),
      });
      const stop = () => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // already gone
        }
      };
      const finish = (error: BerthError | undefined, answer?: Answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          stop();
          reject(error);
        } else if (answer) resolve(answer);
      };
      const timer = setTimeout(
        () =>
          finish(
            new BerthError(
              'HELPER_FAILED',
              `${this.program} ${action} did not answer within ${Math.round(this.deadlineMs / 1000)} s, so Berth stopped it.`,
              `Check that ${this.program} works on its own (for example, that its keychain is unlocked and not waiting for a password prompt), or remove it from credsStore/credHelpers in the docker config.`,
            ),
          ),
        this.deadlineMs,
      );
      child.on('error', (error: NodeJS.ErrnoException) =>
        finish(
          error.code === 'ENOENT'
            ? notOnPath(this.name, this.program)
            : new BerthError(
                'HELPER_FAILED',
                `${this.program} could not be started: ${error.message}`,
                `Check ${this.program}.`,
              ),
        ),
      );
      const tooMuch = (stream: string) =>
        finish(
          new BerthError(
            'HELPER_FAILED',
            `${this.program} ${action} wrote more to ${stream} than a credential helper answers, so Berth stopped it.`,
            `Check that ${this.program} is a docker credential helper.`,
          ),
        );
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.length > MAX_STDOUT_BYTES) tooMuch('stdout');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (stderr.length > MAX_STDERR_BYTES) tooMuch('stderr');
      });
      child.on('close', (code) =>
        finish(undefined, { code, stdout: mask(stdout, secrets), stderr: mask(stderr, secrets) }),
      );
      // A helper that exits without reading stdin makes the write fail with EPIPE: its exit code tells.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }

  private json(action: string, answer: Answer): unknown {
    try {
      return JSON.parse(answer.stdout);
    } catch {
      throw this.unreadable(action, 'it is not JSON');
    }
  }

  private unreadable(action: string, why: string): BerthError {
    return new BerthError(
      'HELPER_FAILED',
      `${this.program} ${action} answered something Berth cannot read: ${why}.`,
      `Check that ${this.program} is a docker credential helper.`,
    );
  }

  private failed(action: string, answer: Answer, secrets: string[]): BerthError {
    const said = mask(`${answer.stdout.trim()} ${answer.stderr.trim()}`.trim(), secrets).slice(0, QUOTED_OUTPUT_CHARS);
    return new BerthError(
      'HELPER_FAILED',
      `${this.program} ${action} failed (exit ${answer.code ?? 'by signal'})${said ? `: ${said}` : ' without a message'}`,
      `Check that ${this.program} works on its own (its keychain unlocked, its store set up), or remove it from credsStore/credHelpers in the docker config.`,
    );
  }
}

function notOnPath(name: string, program: string): BerthError {
  return new BerthError(
    'HELPER_FAILED',
    `The docker config names the credential helper "${name}", but ${program} is not on PATH.`,
    `Install ${program} in a folder on PATH (relative PATH entries such as "." are not searched), or remove "${name}" from credsStore/credHelpers in the docker config.`,
  );
}

/** `text` with every secret replaced by MASKED. */
export function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(MASKED);
  return out;
}
