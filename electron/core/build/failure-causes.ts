/**
 * Known causes of a failed build step, read from what the engine and the step printed (its log tail, the
 * step error and the stream's error message), each with the fix that cause needs. Most specific first:
 * an npm install that fails on a certificate is a certificate problem, not "npm failed".
 */

export interface FailureCause {
  /** A short clause for the failure message: 'the command "x" was not found in the image'. */
  cause: string;
  fix: string;
}

type Rule = (text: string, exitCode: number | null) => FailureCause | null;

const CERTIFICATE =
  /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|self[- ]signed certificate|unable to get local issuer certificate|certificate verify failed|x509: certificate signed by unknown authority/i;

const NO_SPACE = /no space left on device|\bENOSPC\b|disk quota exceeded|\bEDQUOT\b/i;

const NETWORK =
  /\b(ENETUNREACH|EHOSTUNREACH|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET)\b|network is unreachable|no route to host|temporary failure in name resolution|could not resolve host|name or service not known|bad address '[^']+'|connection timed out/i;

const PERMISSION = /permission denied|operation not permitted|\bEACCES\b|\bEPERM\b|read-only file system|\bEROFS\b/i;

/** "/bin/sh: nosuchcmd: not found", "sh: 1: foo: not found", "bash: foo: command not found", "exec: "foo": executable file not found in $PATH". */
const NOT_FOUND_COMMAND =
  /(?:^|\n)(?:\/bin\/)?(?:ba|da)?sh: (?:\d+: )?(?:line \d+: )?([^\s:]+): (?:command )?not found|exec: "([^"]+)": executable file not found/;

/** Legacy builder: "COPY failed: file not found in build context ...: stat missing.txt: file does not exist". */
const COPY_MISSING_LEGACY =
  /(?:COPY|ADD) failed: (?:file not found|no source files)[^\n]*?(?:stat ([^\s:]+): file does not exist)?$/im;
/** BuildKit: 'failed to compute cache key: "/missing.txt" not found: not found'. */
const COPY_MISSING_BUILDKIT =
  /"([^"]+)" not found: not found|failed to (?:compute cache key|calculate checksum)[^\n]*"([^"]+)" not found/;

const NPM_CODE = /npm (?:ERR!|error) code (E[A-Z0-9_]+)/;

const firstMatch = (re: RegExp, text: string): string | undefined => {
  const m = re.exec(text);
  return m?.slice(1).find((g) => g !== undefined);
};

/** The (last) line that matches, trimmed and kept short, to quote in a message. */
const lineWith = (re: RegExp, text: string): string => {
  const line =
    text
      .split('\n')
      .findLast((l) => re.test(l))
      ?.trim() ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
};

const RULES: Rule[] = [
  (text) =>
    CERTIFICATE.test(text)
      ? {
          cause: `a TLS certificate was not trusted (${CERTIFICATE.exec(text)?.[0]}), as happens behind a proxy that inspects HTTPS, typically a corporate one`,
          fix:
            "Give the build your proxy's CA certificate: copy it into the image before the step that downloads " +
            '(e.g. `COPY corp-ca.crt /usr/local/share/ca-certificates/`) and point the tools at it ' +
            '(`ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt` and `npm config set cafile` ' +
            "to the same file), then build again. Your IT team can give you the CA file; don't turn off strict-ssl.",
        }
      : null,
  (text) =>
    NO_SPACE.test(text)
      ? {
          cause: 'the disk ran out of space (no space left on device)',
          fix:
            'Free space where the engine stores images: remove unused images and containers (Images → Prune ' +
            'dangling; `docker system df` shows what takes the room), or give the engine a bigger disk, then build again.',
        }
      : null,
  (text) => {
    const code = firstMatch(NETWORK, text);
    if (!NETWORK.test(text)) return null;
    return {
      cause: `the step could not reach the network (${code ?? NETWORK.exec(text)?.[0]})`,
      fix:
        "Check that the engine's machine is online and can resolve names. Behind a proxy, pass it to the build " +
        '(HTTP_PROXY, HTTPS_PROXY and NO_PROXY are predefined build args; npm also reads `npm config set proxy`), ' +
        'then build again.',
    };
  },
  (text) =>
    PERMISSION.test(text)
      ? {
          cause: `the step was refused access (${lineWith(PERMISSION, text)})`,
          fix:
            'The step runs as a user (USER in the Dockerfile) that does not own that path. Create and hand over ' +
            'the folder as root before USER (`RUN mkdir -p /app && chown node:node /app`, or `COPY --chown=node:node`), ' +
            'or write under the user’s home, then build again.',
        }
      : null,
  (text, exitCode) => {
    const command = firstMatch(NOT_FOUND_COMMAND, text);
    if (command === undefined && exitCode !== 127) return null;
    const what = command
      ? `the command "${command}" was not found in the image`
      : 'a command was not found (exit code 127)';
    return {
      cause: what,
      fix:
        `Install ${command ? `"${command}"` : 'it'} in an earlier step (\`RUN apk add --no-cache …\` on Alpine, ` +
        '`RUN apt-get update && apt-get install -y …` on Debian), call it by its full path, or correct its spelling, ' +
        'then build again. The base image may not include it.',
    };
  },
  (text) => {
    const legacy = COPY_MISSING_LEGACY.exec(text);
    const buildkit = COPY_MISSING_BUILDKIT.exec(text);
    if (!legacy && !buildkit) return null;
    const source = (legacy?.[1] ?? buildkit?.[1] ?? buildkit?.[2])?.replace(/^\//, '');
    return {
      cause: `${source ? `"${source}"` : 'a source file'} is not in the build context`,
      fix:
        `Check that ${source ? `"${source}"` : 'the COPY source'} exists inside the context folder (paths are relative ` +
        'to it, and `..` cannot leave it) and that .dockerignore does not exclude it, then build again.',
    };
  },
  (_text, exitCode) =>
    exitCode === 137
      ? {
          cause: 'the step was killed (exit code 137), usually because it ran out of memory',
          fix: 'Give the engine more memory, or make the step use less (for example fewer parallel jobs), then build again.',
        }
      : null,
  (text) => {
    const code = firstMatch(NPM_CODE, text);
    if (!code) return null;
    const fixes: Record<string, string> = {
      E404: 'A package or version named in package.json does not exist in the registry: correct the name or version.',
      ETARGET: 'No published version matches a range in package.json: loosen the range or pick an existing version.',
      ERESOLVE:
        'Two packages need incompatible versions of a peer dependency: align the versions in package.json ' +
        '(or, knowingly, add `--legacy-peer-deps`).',
      EUSAGE:
        '`npm ci` needs a package-lock.json that matches package.json: run `npm install` locally, commit the lock ' +
        'file, and make sure the Dockerfile copies it.',
      ELIFECYCLE: 'A package script failed: read the lines above it in the step log.',
    };
    return {
      cause: `npm failed with ${code}`,
      fix: `${fixes[code] ?? `Read the npm error lines (code ${code}) in the step log.`} Then build again.`,
    };
  },
];

/** The known cause in these texts (step log lines, step error, stream error), or null when none is recognisable. */
export function knownCause(texts: Array<string | null | undefined>, exitCode: number | null): FailureCause | null {
  const text = texts.filter((t): t is string => typeof t === 'string' && t !== '').join('\n');
  for (const rule of RULES) {
    const found = rule(text, exitCode);
    if (found) return found;
  }
  return null;
}
