/**
 * The Dockerfile instruction behind a history entry's `created_by`:
 *   legacy builder  `/bin/sh -c #(nop)  ENV A=1`            → `ENV A=1`
 *                   `/bin/sh -c npm ci`                     → `RUN npm ci`
 *                   `|2 A=1 B=2 /bin/sh -c make`            → `RUN make`        (build args)
 *   BuildKit        `RUN /bin/sh -c npm ci # buildkit`      → `RUN npm ci`
 *                   `RUN |1 A=1 /bin/sh -c make # buildkit` → `RUN make`
 *                   `COPY . /app # buildkit`                → `COPY . /app`
 */

/** The shells a RUN is wrapped in: sh/bash/ash/... on Linux, cmd or powershell on Windows. */
const SHELL_PREFIX = /^(?:\/\S*sh -c|cmd \/S \/C|powershell(?:\.exe)? -[Cc]ommand)\s/;
const NOP = /^#\(nop\)\s*/;
const BUILDKIT_SUFFIX = /\s*# buildkit$/;

/** Drops a leading `|N K=V ...` list of the N build args in effect (values may not contain spaces). */
function withoutBuildArgs(text: string): string {
  const match = /^\|(\d+)\s/.exec(text);
  if (!match) return text;
  let rest = text.slice(match[0].length);
  for (let i = 0; i < Number(match[1]); i += 1) {
    const arg = /^[^=\s]+=\S*\s*/.exec(rest);
    if (!arg) break;
    rest = rest.slice(arg[0].length);
  }
  return rest;
}

/** `RUN` plus the command, with the shell wrapper and build args removed. */
function runOf(command: string): string {
  const bare = withoutBuildArgs(command.trim());
  const shell = SHELL_PREFIX.exec(bare);
  const rest = shell ? bare.slice(shell[0].length) : bare;
  if (NOP.test(rest)) return rest.replace(NOP, '').trim();
  return `RUN ${rest.trim()}`;
}

/** The instruction as it would read in the Dockerfile; "" when the entry has none (e.g. an imported layer). */
export function instructionOf(createdBy: string | undefined | null): string {
  const text = (createdBy ?? '').trim().replace(BUILDKIT_SUFFIX, '');
  if (!text) return '';
  if (/^RUN\s/.test(text)) return runOf(text.slice(4));
  if (/^(?:\|\d+\s|\/\S*sh -c\s|cmd \/S \/C\s|powershell)/.test(text)) return runOf(text);
  return text;
}
