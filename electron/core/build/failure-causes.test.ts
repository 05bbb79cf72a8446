/**
 * The build failure's fix names the cause when it is recognisable. The texts are real: step logs and errors
 * of builds that Berth ran against dockerd 20.10 with both builders (COPY, exit 127, /dev/full, USER node),
 * and what `docker run` of the base image printed for the network and npm cases (only the registry host in
 * the npm lines is replaced by <registry>).
 */
import type { BuildStep } from '../../contract';
import { streamFailure } from './failure';
import { knownCause } from './failure-causes';

const GENERIC = 'Read the end of the step log for the cause, fix the command or the files it uses, then build again.';

function failed(
  instruction: string,
  logs: string[],
  stepError: string,
  exitCode: number | null,
  message = stepError,
): ReturnType<typeof streamFailure> {
  const step: BuildStep = {
    id: 's1',
    index: 1,
    stage: null,
    instruction,
    line: 3,
    metadataOnly: false,
    state: 'error',
    startedAt: 1,
    endedAt: 2,
    logs: logs.map((text) => ({ stream: 'stderr', text })),
    logsDropped: 0,
    error: stepError,
  };
  return streamFailure({ message, exitCode, stepId: 's1' }, [step], {
    dockerfile: 'Dockerfile',
    source: null,
    request: { buildArgs: {} },
  });
}

describe('recognised causes in real build failures, BuildKit and legacy', () => {
  it.each([
    ['BuildKit', 'executor failed running [/bin/sh -c nosuchcmd --version]: exit code: 127'],
    ['legacy', "The command '/bin/sh -c nosuchcmd --version' returned a non-zero code: 127"],
  ])('exit 127, command not found (%s)', (_, stepError) => {
    const f = failed('RUN nosuchcmd --version', ['/bin/sh: nosuchcmd: not found'], stepError, 127);
    expect(f.message).toBe(
      'Step "RUN nosuchcmd --version" (Dockerfile line 3) failed: the command exited with code 127: ' +
        'the command "nosuchcmd" was not found in the image.',
    );
    expect(f.fix).toMatch(/^Install "nosuchcmd" in an earlier step .*apk add.*apt-get install/);
  });

  it.each([
    [
      'BuildKit',
      '"/missing.txt" not found: not found',
      'failed to compute cache key: "/missing.txt" not found: not found',
    ],
    [
      'legacy',
      'COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist',
      'COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist',
    ],
  ])('COPY source not in the context (%s)', (_, stepError, message) => {
    const f = failed('COPY missing.txt /tmp/', [], stepError, null, message);
    expect(f.message).toMatch(/: "missing\.txt" is not in the build context\.$/);
    expect(f.fix).toMatch(/^Check that "missing\.txt" exists inside the context folder .*\.dockerignore/);
  });

  it.each([
    ['BuildKit', 'executor failed running [/bin/sh -c echo data > /dev/full]: exit code: 1'],
    ['legacy', "The command '/bin/sh -c echo data > /dev/full' returned a non-zero code: 1"],
  ])('no space left on device (%s)', (_, stepError) => {
    const f = failed('RUN echo data > /dev/full', ['sh: write error: No space left on device'], stepError, 1);
    expect(f.message).toContain('the disk ran out of space');
    expect(f.fix).toMatch(/^Free space where the engine stores images.*Prune/);
  });

  it.each([
    ['BuildKit', 'executor failed running [/bin/sh -c touch /etc/berth-owned-by-root]: exit code: 1'],
    ['legacy', "The command '/bin/sh -c touch /etc/berth-owned-by-root' returned a non-zero code: 1"],
  ])('permission denied under USER node (%s)', (_, stepError) => {
    const logs = ['touch: /etc/berth-owned-by-root: Permission denied'];
    const f = failed('RUN touch /etc/berth-owned-by-root', logs, stepError, 1);
    expect(f.message).toContain('refused access (touch: /etc/berth-owned-by-root: Permission denied)');
    expect(f.fix).toMatch(/USER in the Dockerfile.*chown node:node/);
  });
});

describe('recognised causes in real tool output', () => {
  const npmCert = [
    'npm error code SELF_SIGNED_CERT_IN_CHAIN',
    'npm error errno SELF_SIGNED_CERT_IN_CHAIN',
    'npm error request to https://<registry>/left-pad failed, reason: self-signed certificate in certificate chain',
  ];
  const npmOffline = [
    'npm error code EAI_AGAIN',
    'npm error syscall getaddrinfo',
    'npm error errno EAI_AGAIN',
    'npm error request to https://<registry>/left-pad failed, reason: getaddrinfo EAI_AGAIN <registry>',
  ];
  const npmAccess = [
    "npm error   code: 'EACCES',",
    "npm error   syscall: 'open',",
    "npm error   path: '/opt/package.json'",
    'npm error The operation was rejected by your operating system.',
  ];

  it('SELF_SIGNED_CERT_IN_CHAIN from npm: the corporate proxy CA, not "npm failed"', () => {
    const cause = knownCause(npmCert, 1);
    expect(cause?.cause).toMatch(/^a TLS certificate was not trusted \(SELF_SIGNED_CERT_IN_CHAIN\).*proxy/);
    expect(cause?.fix).toMatch(/proxy's CA certificate.*NODE_EXTRA_CA_CERTS.*cafile/);
    expect(cause?.fix).toContain("don't turn off strict-ssl");
  });

  it.each([
    ['npm offline', npmOffline, 'EAI_AGAIN'],
    [
      'busybox wget',
      ["wget: can't connect to remote host (10.255.255.1): Network is unreachable"],
      'Network is unreachable',
    ],
    ['node', ['connect ENETUNREACH 10.255.255.1:80 - Local (0.0.0.0:0)'], 'ENETUNREACH'],
  ])('network unreachable (%s)', (_, logs, token) => {
    const cause = knownCause(logs, 1);
    expect(cause?.cause).toBe(`the step could not reach the network (${token})`);
    expect(cause?.fix).toMatch(/online.*HTTP_PROXY, HTTPS_PROXY and NO_PROXY/);
  });

  it.each([
    ['npm EACCES', npmAccess],
    ['busybox mkdir', ["mkdir: can't create directory '/opt/x': Permission denied"]],
  ])('permission denied (%s)', (_, logs) => {
    expect(knownCause(logs, 1)?.fix).toMatch(/^The step runs as a user/);
  });

  it('npm codes without a more specific cause get npm advice', () => {
    expect(knownCause(['npm error code EUSAGE'], 1)?.fix).toMatch(/npm ci.*package-lock\.json/);
    expect(knownCause(['npm ERR! code E404'], 1)?.fix).toMatch(/does not exist in the registry/);
    expect(knownCause(['npm error code EWHATEVER'], 1)).toEqual({
      cause: 'npm failed with EWHATEVER',
      fix: 'Read the npm error lines (code EWHATEVER) in the step log. Then build again.',
    });
  });

  it('exit 137 is a kill, usually out of memory', () => {
    expect(knownCause([], 137)?.cause).toMatch(/killed.*memory/);
  });
});

describe('unrecognised failures keep the generic fix', () => {
  it.each([
    ['BuildKit', 'executor failed running [/bin/sh -c cat /tmp/input.txt && exit 7]: exit code: 7'],
    ['legacy', "The command '/bin/sh -c cat /tmp/input.txt && exit 7' returned a non-zero code: 7"],
  ])('a RUN that exits 7 after printing (%s)', (_, stepError) => {
    const f = failed('RUN cat /tmp/input.txt && exit 7', ['hello', 'broken on purpose'], stepError, 7);
    expect(f.fix).toBe(GENERIC);
    expect(f.message).toBe(
      'Step "RUN cat /tmp/input.txt && exit 7" (Dockerfile line 3) failed: the command exited with code 7.',
    );
  });

  it('does not read "not found" in ordinary output as a missing command', () => {
    expect(knownCause(['page not found, retrying', 'done'], 1)).toBeNull();
  });
});
