import type { AdviceRule } from '../../../contract';
import { unifiedDiff } from './diff';
import { predictCachedAfterEdit } from './predict';
import { type AdviceFacts, adviseDockerfile } from './rules';

const NO_IGNORE_PROBLEM: AdviceFacts['dockerignore'] = {
  text: '.git\n',
  sha256: 'a'.repeat(64),
  entries: [],
  fixText: '.git\n',
  bytesAfterFix: 0,
};

/** Facts for a Dockerfile written for the test: a small Node app's context, no .dockerignore problem. */
function facts(source: string, more: Partial<AdviceFacts> = {}): AdviceFacts {
  return {
    source,
    dockerfilePath: 'Dockerfile',
    dockerfileSha256: 'f'.repeat(64),
    contextFiles: ['Dockerfile', 'package.json', 'package-lock.json', 'src/index.js'],
    contextBytes: 1000,
    dockerignore: NO_IGNORE_PROBLEM,
    ...more,
  };
}

const GOOD_TAIL = 'USER node\nCMD ["node", "src/index.js"]\n';

const advise = (source: string, more?: Partial<AdviceFacts>) => adviseDockerfile(facts(source, more));
const rulesOf = (source: string, more?: Partial<AdviceFacts>): AdviceRule[] =>
  advise(source, more).map((a) => a.finding.rule);
const only = (source: string, rule: AdviceRule, more?: Partial<AdviceFacts>) => {
  const found = advise(source, more).filter((a) => a.finding.rule === rule);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('each rule fires on a Dockerfile written for it, and not on its corrected form', () => {
  it('the whole context copied before the dependency install: moved after it, manifests first', () => {
    const source = `FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm cache clean --force\n${GOOD_TAIL}`;
    const advice = only(source, 'copy-before-install');
    expect(advice.finding).toMatchObject({ line: 3, id: 'copy-before-install:3' });
    expect(advice.newText).toBe(
      `FROM node:22-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci && npm cache clean --force\nCOPY . .\n${GOOD_TAIL}`,
    );
    // An edit of src/index.js: now only WORKDIR stays cached; with the fix, WORKDIR, the manifests and the install.
    expect(advice.finding.prediction.cachedAfterEdit).toEqual({
      before: 1,
      after: 3,
      of: 4,
      editedFile: 'src/index.js',
    });
    // The Dockerfile is sent too: the context grows by the line the fix adds.
    expect(advice.finding.prediction.contextBytes).toEqual({
      before: 1000,
      after: 1000 + advice.newText!.length - source.length,
    });
    expect(rulesOf(advice.newText!)).toEqual([]);
  });

  it('the copy-before-install fix keeps COPY flags and names only manifests the context has', () => {
    const source = `FROM node:22-alpine\nCOPY --chown=node:node . /app\nRUN cd /app && npm install\n${GOOD_TAIL}`;
    const advice = only(source, 'copy-before-install', {
      contextFiles: ['Dockerfile', 'package.json', 'index.js'],
    });
    expect(advice.newText).toContain('COPY --chown=node:node package.json /app\nRUN cd /app && npm install\n');
    expect(advice.newText).toContain('npm install\nCOPY --chown=node:node . /app\n');
  });

  it('.dockerignore missing or leaking: the bytes of each entry, and the context bytes with the fix', () => {
    const dockerignore: AdviceFacts['dockerignore'] = {
      text: null,
      sha256: null,
      entries: [
        { label: 'node_modules', patterns: ['**/node_modules'], bytes: 5000 },
        { label: '.git', patterns: ['.git'], bytes: 0 },
      ],
      fixText: '**/node_modules\n.git\n',
      bytesAfterFix: 600,
    };
    const source = `FROM node:22-alpine\nCOPY package.json ./\nRUN npm ci && npm cache clean --force\nCOPY src src\n${GOOD_TAIL}`;
    const advice = only(source, 'dockerignore', { dockerignore, contextBytes: 5580 });
    expect(advice.finding.line).toBeNull();
    expect(advice.finding.details).toEqual([
      { label: 'node_modules', bytes: 5000 },
      { label: '.git', bytes: 0 },
    ]);
    expect(advice.finding.prediction.contextBytes).toEqual({ before: 5580, after: 600 });
    expect(advice.finding.fix?.diff).toBe(
      '--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,2 @@\n+**/node_modules\n+.git\n',
    );
    // Present and letting nothing heavy in: no finding.
    expect(rulesOf(source)).toEqual([]);
  });

  it('CMD and ENTRYPOINT in shell form', () => {
    const source = 'FROM node:22-alpine\nUSER node\nCMD node src/index.js\n';
    expect(only(source, 'shell-form').newText).toBe('FROM node:22-alpine\nUSER node\nCMD ["node", "src/index.js"]\n');
    const chained = only('FROM alpine:3\nUSER 1000\nENTRYPOINT ./setup && ./run\n', 'shell-form');
    expect(chained.finding.fix).toBeNull();
    expect(only('FROM alpine:3\nUSER 1000\nCMD ./run --port $PORT\n', 'shell-form').newText).toContain(
      'CMD exec ./run --port $PORT',
    );
    expect(rulesOf('FROM alpine:3\nUSER 1000\nCMD exec ./run --port $PORT\n')).toEqual([]);
    expect(rulesOf(`FROM node:22-alpine\n${GOOD_TAIL}`)).toEqual([]);
  });

  it('an unpinned or latest base image, written in FROM or in a global ARG default', () => {
    expect(only(`FROM node\n${GOOD_TAIL}`, 'unpinned-base').finding.line).toBe(1);
    const viaArg = only(`ARG BASE=node:latest\nFROM \${BASE}\n${GOOD_TAIL}`, 'unpinned-base', {
      pinnedBases: { 'node:latest': `node@sha256:${'1'.repeat(64)}` },
    });
    expect(viaArg.newText?.split('\n')[0]).toBe(`ARG BASE=node@sha256:${'1'.repeat(64)}`);
    expect(only(`FROM node:latest\n${GOOD_TAIL}`, 'unpinned-base').finding.fix).toBeNull();
    expect(rulesOf(`FROM node:22-alpine AS build\nFROM build\n${GOOD_TAIL}`)).toEqual([]);
    expect(rulesOf(`FROM node@sha256:${'2'.repeat(64)}\n${GOOD_TAIL}`)).toEqual([]);
    expect(rulesOf(`ARG BASE\nFROM \${BASE}\n${GOOD_TAIL}`)).toEqual([]);
  });

  it('ADD of local files, where COPY would do', () => {
    const advice = only(`FROM node:22-alpine\nADD --chown=node src /app/src\n${GOOD_TAIL}`, 'add-instead-of-copy');
    expect(advice.newText).toContain('COPY --chown=node src /app/src');
    expect(rulesOf(`FROM node:22-alpine\nADD vendor.tar.gz /opt/\nADD https://x.test/a /a\n${GOOD_TAIL}`)).toEqual([]);
  });

  it('a package install with no cleanup in the same layer, for each package manager', () => {
    const apt = only(
      `FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl\n${GOOD_TAIL}`,
      'install-without-cleanup',
    );
    expect(apt.finding).toMatchObject({ line: 2, endLine: 3 });
    expect(apt.newText).toContain('apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
    expect(only(`FROM alpine:3\nRUN apk add curl\n${GOOD_TAIL}`, 'install-without-cleanup').newText).toContain(
      'RUN apk add --no-cache curl',
    );
    expect(only(`FROM fedora:40\nRUN dnf install -y gcc\n${GOOD_TAIL}`, 'install-without-cleanup').newText).toContain(
      'dnf install -y gcc && dnf clean all',
    );
    expect(only(`FROM centos:7\nRUN yum install -y gcc\n${GOOD_TAIL}`, 'install-without-cleanup').newText).toContain(
      '&& yum clean all',
    );
    expect(only(`FROM python:3.12\nRUN pip install flask\n${GOOD_TAIL}`, 'install-without-cleanup').newText).toContain(
      'pip install --no-cache-dir flask',
    );
    expect(only(`FROM node:22\nRUN npm ci\n${GOOD_TAIL}`, 'install-without-cleanup').newText).toContain(
      'RUN npm ci && npm cache clean --force',
    );
    const clean = [
      'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      'RUN apk add --no-cache curl',
      'RUN dnf install -y gcc && dnf clean all',
      'RUN pip install --no-cache-dir flask',
      'RUN npm ci && npm cache clean --force',
      'RUN --mount=type=cache,target=/root/.npm npm ci',
    ];
    expect(rulesOf(`FROM node:22-alpine\n${clean.join('\n')}\n${GOOD_TAIL}`)).toEqual([]);
    // A stage whose layers do not ship (only its output is copied) is left alone.
    expect(
      rulesOf(`FROM node:22-alpine AS deps\nRUN npm ci\nFROM node:22-alpine\nCOPY --from=deps /n /n\n${GOOD_TAIL}`),
    ).toEqual([]);
  });

  it('secrets in ARG and ENV, never showing the value', () => {
    const env = only(`FROM node:22-alpine\nENV API_TOKEN=s3cr3t-value\n${GOOD_TAIL}`, 'secret-in-image');
    expect(JSON.stringify(env.finding)).not.toContain('s3cr3t-value');
    expect(env.finding.fix?.diff).toContain('-ENV API_TOKEN=***');
    expect(env.newText).toBe(`FROM node:22-alpine\n${GOOD_TAIL}`);
    const arg = only(
      `FROM node:22-alpine\nARG NPM_TOKEN\nRUN echo "//r/:_authToken=$NPM_TOKEN" > .npmrc\n${GOOD_TAIL}`,
      'secret-in-image',
    );
    expect(arg.newText).toBe(
      `FROM node:22-alpine\nRUN --mount=type=secret,id=NPM_TOKEN export NPM_TOKEN="$(cat /run/secrets/NPM_TOKEN)" && echo "//r/:_authToken=$NPM_TOKEN" > .npmrc\n${GOOD_TAIL}`,
    );
    expect(rulesOf(`FROM node:22-alpine\nARG NODE_VERSION=22\nENV NODE_ENV=production\n${GOOD_TAIL}`)).toEqual([]);
  });

  it('EXPOSE that disagrees with the PORT the app reads', () => {
    const advice = only(`FROM node:22-alpine\nENV PORT=8080\nEXPOSE 3000\n${GOOD_TAIL}`, 'expose-port-mismatch');
    expect(advice.finding.line).toBe(3);
    expect(advice.newText).toContain('ENV PORT=8080\nEXPOSE $PORT\n');
    expect(rulesOf(`FROM node:22-alpine\nENV PORT=8080\nEXPOSE 8080/tcp\n${GOOD_TAIL}`)).toEqual([]);
    expect(rulesOf(`FROM node:22-alpine\nENV PORT=8080\nEXPOSE $PORT\n${GOOD_TAIL}`)).toEqual([]);
    expect(rulesOf(`FROM node:22-alpine\nEXPOSE 3000\n${GOOD_TAIL}`)).toEqual([]);
    // The project's run settings (PORT=5000) win over the Dockerfile.
    const run = only(`FROM node:22-alpine\nEXPOSE 3000\n${GOOD_TAIL}`, 'expose-port-mismatch', { runPort: 5000 });
    expect(run.finding.title).toBe('EXPOSE 3000, but the app reads PORT=5000 (the run settings give it)');
    expect(run.newText).toContain('EXPOSE 5000\n');
    expect(rulesOf(`FROM node:22-alpine\nENV PORT=5000\nEXPOSE $PORT\n${GOOD_TAIL}`, { runPort: 5000 })).toEqual([]);
  });

  it('an image that runs as root: no USER, or USER root last', () => {
    const none = only('FROM node:22-alpine\nRUN mkdir /data\nCMD ["node", "x.js"]\n', 'runs-as-root');
    expect(none.newText).toBe('FROM node:22-alpine\nRUN mkdir /data\nUSER node\nCMD ["node", "x.js"]\n');
    const root = only('FROM alpine:3\nUSER app\nRUN id\nUSER root\nCMD ["./run"]\n', 'runs-as-root');
    expect(root.finding.line).toBe(4);
    expect(root.newText).toContain('USER root\nUSER 65534:65534\nCMD');
    // The user set in the stage the final one is FROM counts.
    expect(rulesOf('FROM node:22-alpine AS base\nUSER node\nFROM base\nCMD ["node", "x.js"]\n')).toEqual([]);
  });
});

describe("the tutorial's Dockerfile (docker-tutorial-es)", () => {
  it('keeps its lesson (requirements first) and is told about its shell-form CMD, its pip cache and root', () => {
    const tutorial = [
      'FROM python:3.7-alpine',
      'LABEL maintainer="someone"',
      'EXPOSE $PORT',
      'COPY requirements.txt /tmp',
      'RUN cd /tmp && pip install -r requirements.txt',
      'COPY . /app',
      'WORKDIR /app',
      'CMD gunicorn -b 0.0.0.0:${PORT} app:app',
      '',
    ].join('\n');
    const advice = adviseDockerfile(facts(tutorial, { contextFiles: ['Dockerfile', 'requirements.txt', 'app.py'] }));
    expect(advice.map((a) => a.finding.id)).toEqual(['runs-as-root:1', 'install-without-cleanup:5', 'shell-form:8']);
    expect(advice.find((a) => a.finding.rule === 'shell-form')?.newText).toContain(
      'CMD exec gunicorn -b 0.0.0.0:${PORT} app:app',
    );
  });
});

describe('the diff shown before a fix is written', () => {
  it('is a unified diff with context lines, empty for equal texts', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    expect(unifiedDiff('Dockerfile', before, before)).toBe('');
    expect(unifiedDiff('Dockerfile', before, 'a\nb\nc\nd\nE\nf\ng\nh\n')).toBe(
      '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n',
    );
  });
});

describe('the cache prediction for a source edit', () => {
  it('follows a miss into the stages built on the stage that missed', () => {
    const source =
      'FROM node:22-alpine AS build\nCOPY package.json ./\nRUN npm ci\nCOPY src src\nRUN npm run build\n' +
      'FROM node:22-alpine\nRUN mkdir /data\nCOPY --from=build /dist /dist\nUSER node\n';
    expect(predictCachedAfterEdit(source, 'src/a.ts')).toEqual({ cached: 3, of: 6 });
    expect(predictCachedAfterEdit(source, 'README.md')).toEqual({ cached: 6, of: 6 });
  });
});
