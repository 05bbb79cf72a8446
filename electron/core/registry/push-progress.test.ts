import { readFileSync } from 'node:fs';
import { BerthError, JsonLines, PushModel } from '../../contract';
import {
  failPush,
  finishPush,
  foldPushEvent,
  newPushModel,
  newPushProgress,
  type PushProgress,
  type PushStreamEvent,
  streamError,
} from './push-progress';

// Recorded from dockerd 20.10 against a real docker-registry 2.8: see fixtures/README.md.
const TARGET = '127.0.0.1:5999/berth-test-record-8f7edb8b:1.0';
const DIGEST = 'sha256:f1815aa6fbea146cb9939b4eb593f7471883fa11bb61e744715d1b31e4947a03';
const READ_ONLY_TARGET = '127.0.0.1:5998/berth-test-record-4df2f56d:1.0';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}.fixture.jsonl`, import.meta.url));
const fixtureEvents = (name: string): PushStreamEvent[] =>
  fixture(name)
    .toString()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PushStreamEvent);

const noDigest = () => new BerthError('PUSH_FAILED', 'no digest');

/** Replays a recorded stream through the decoder and the fold, in odd-sized chunks, like the socket. */
function replay(name: string, target = TARGET): { models: PushModel[]; final: PushModel } {
  const bytes = fixture(name);
  const lines = new JsonLines<PushStreamEvent>();
  let progress = newPushProgress('p1', target);
  const models: PushModel[] = [];
  const fold = (events: PushStreamEvent[]) => {
    for (const event of events) {
      progress = foldPushEvent(progress, event);
      models.push(progress.model);
    }
  };
  for (let at = 0; at < bytes.length; at += 37) fold(lines.push(bytes.subarray(at, at + 37)));
  fold(lines.end());
  const final = finishPush(progress, noDigest);
  for (const m of [...models, final]) PushModel.parse(m);
  return { models, final };
}

describe('push progress from recorded streams', () => {
  it('a first push succeeds with the digest, size and every layer pushed', () => {
    const { final } = replay('push-success');
    expect(final.state).toBe('succeeded');
    expect(final.digest).toBe(DIGEST);
    expect(final.size).toBe(739);
    expect(final.failure).toBeNull();
    expect(final.layers.map((l) => [l.id, l.status])).toEqual([
      ['e15e3a30cc04', 'pushed'],
      ['d04b14c04f28', 'pushed'],
    ]);
    expect(final.layers.every((l) => l.current === l.total && l.total > 0)).toBe(true);
  });

  it('clamps current to total when the engine reports more bytes than the layer size', () => {
    const { models } = replay('push-success');
    const pushing = models.flatMap((m) => m.layers).filter((l) => l.status === 'pushing');
    expect(pushing.length).toBeGreaterThan(0);
    for (const layer of pushing) expect(layer.current).toBeLessThanOrEqual(layer.total);
    // the raw stream says 1050112/1048576 for this layer
    expect(pushing.some((l) => l.id === 'e15e3a30cc04' && l.current === 1048576 && l.total === 1048576)).toBe(true);
  });

  it('goes through preparing, then pushing, for each layer', () => {
    const { models } = replay('push-success');
    const seen = models.map((m) => m.layers.find((l) => l.id === 'd04b14c04f28')?.status).filter(Boolean);
    expect([...new Set(seen)]).toEqual(['preparing', 'pushing', 'pushed']);
    expect(models.every((m) => m.state === 'pushing')).toBe(true);
  });

  it('a re-push marks layers as existing and still succeeds', () => {
    const { final } = replay('push-layers-exist');
    expect(final.state).toBe('succeeded');
    expect(final.digest).toBe(DIGEST);
    expect(final.layers.map((l) => l.status)).toEqual(['exists', 'exists']);
  });

  it('layers mounted from another repository count as existing', () => {
    const { final } = replay('push-mounted');
    expect(final.state).toBe('succeeded');
    expect(final.layers.map((l) => l.status)).toEqual(['exists', 'exists']);
  });

  it('a wrong password is AUTH_FAILED with the registry message, never success', () => {
    const { final } = replay('push-wrong-password');
    expect(final.state).toBe('failed');
    expect(final.digest).toBeNull();
    expect(final.failure?.code).toBe('AUTH_FAILED');
    expect(final.failure?.message).toContain('unauthorized: authentication required');
    expect(final.failure?.fix).toMatch(/log in/i);
    expect(final.layers.map((l) => l.status)).toEqual(['failed', 'failed']);
  });

  it('no credentials at all is AUTH_FAILED', () => {
    const { final } = replay('push-no-credentials');
    expect(final.failure?.code).toBe('AUTH_FAILED');
    expect(final.failure?.message).toContain('no basic auth credentials');
  });

  it('a read-only registry refuses the upload after the login: PUSH_FAILED with its words, no digest', () => {
    const { final } = replay('push-read-only', READ_ONLY_TARGET);
    expect(final.state).toBe('failed');
    expect(final.digest).toBeNull();
    expect(final.size).toBeNull();
    expect(final.failure?.code).toBe('PUSH_FAILED');
    expect(final.failure?.message).toContain('error parsing HTTP 405 response body');
    expect(final.failure?.message).toContain('Method not allowed');
    expect(final.failure?.message).toContain('127.0.0.1:5998');
    expect(final.failure?.fix).toMatch(/read-only/);
    expect(final.layers.map((l) => l.status)).toEqual(['failed', 'failed']);
  });

  it('a password revoked after the login check is AUTH_FAILED with the registry words, no digest', () => {
    const { final } = replay('push-revoked-password');
    expect(final.state).toBe('failed');
    expect(final.digest).toBeNull();
    expect(final.failure?.code).toBe('AUTH_FAILED');
    expect(final.failure?.message).toContain('unauthorized: authentication required');
    expect(final.failure?.fix).toMatch(/revoked/);
  });

  it('a registry out of space fails after the engine retries: PUSH_FAILED, a fix about space, no digest', () => {
    const { models, final } = replay('push-disk-full', '127.0.0.1:5997/berth-test-record-d691f809:1.0');
    // "Retrying in N seconds" puts a layer back to waiting, then it is pushed again.
    expect(models.some((m) => m.layers.some((l) => l.status === 'waiting'))).toBe(true);
    expect(models.every((m) => m.digest === null)).toBe(true);
    expect(final.state).toBe('failed');
    expect(final.digest).toBeNull();
    expect(final.failure?.code).toBe('PUSH_FAILED');
    expect(final.failure?.message).toContain('received unexpected HTTP status: 500 Internal Server Error');
    expect(final.failure?.fix).toMatch(/out of disk space or over a storage quota/);
  });

  it('a missing local image is NOT_FOUND with a clear message and fix', () => {
    const { final } = replay('push-missing-image', '127.0.0.1:5999/berth-test-missing-e3b5f501:1.0');
    expect(final.state).toBe('failed');
    expect(final.failure?.code).toBe('NOT_FOUND');
    expect(final.failure?.message).toBe(
      'There is no local image "127.0.0.1:5999/berth-test-missing-e3b5f501:1.0" to push.',
    );
    expect(final.failure?.fix).toMatch(/build the image/i);
  });
});

/**
 * The engine has not been seen sending these shapes, so they are made from the recorded streams by
 * editing one line; everything else in the stream is as recorded.
 */
describe('error lines with missing parts, on recorded streams', () => {
  /** The recorded read-only stream, with its final error line replaced by `last`. */
  const readOnlyEndingWith = (last: Record<string, unknown>): PushStreamEvent[] => [
    ...fixtureEvents('push-read-only').slice(0, -1),
    last as PushStreamEvent,
  ];
  const replayEvents = (events: PushStreamEvent[], target = READ_ONLY_TARGET) => {
    const progress = events.reduce((p, e) => foldPushEvent(p, e), newPushProgress('p1', target));
    const final = finishPush(progress, noDigest);
    PushModel.parse(final);
    return final;
  };
  const recordedError = fixtureEvents('push-read-only').at(-1)?.error as string;

  it('errorDetail without a message still fails, with the `error` text beside it', () => {
    const final = replayEvents(readOnlyEndingWith({ errorDetail: {}, error: recordedError }));
    expect(final).toMatchObject({ state: 'failed', digest: null, failure: { code: 'PUSH_FAILED' } });
    expect(final.failure?.message).toContain('Method not allowed');
  });

  it('errorDetail with only a code fails and says the engine gave no message, naming the code', () => {
    const final = replayEvents(readOnlyEndingWith({ errorDetail: { code: 500 } }));
    expect(final).toMatchObject({ state: 'failed', digest: null, failure: { code: 'PUSH_FAILED' } });
    expect(final.failure?.message).toContain('the engine reported an error without a message (code 500)');
    expect(final.failure?.fix).toBeTruthy();
  });

  it('an empty error string with an empty errorDetail is still a failure', () => {
    const final = replayEvents(readOnlyEndingWith({ errorDetail: {}, error: '' }));
    expect(final.state).toBe('failed');
    expect(final.failure?.message).toContain('without a message');
  });

  it('"error": null on every line of a successful stream is no error: the push succeeds', () => {
    const events = fixtureEvents('push-success').map((e) => ({ ...e, error: null, errorDetail: null }));
    const final = replayEvents(events as unknown as PushStreamEvent[], TARGET);
    expect(final).toMatchObject({ state: 'succeeded', digest: DIGEST, failure: null });
  });

  it('"error": null beside a real errorDetail message is the errorDetail failure', () => {
    const final = replayEvents(readOnlyEndingWith({ errorDetail: { message: recordedError }, error: null }));
    expect(final.failure?.message).toContain('Method not allowed');
  });

  it('streamError states the rules line by line', () => {
    expect(streamError({ status: 'Preparing' })).toBeUndefined();
    expect(streamError({ error: null, errorDetail: null } as unknown as PushStreamEvent)).toBeUndefined();
    expect(streamError({ error: 'x' })).toBe('x');
    expect(streamError({ error: 'outer', errorDetail: { message: 'inner' } })).toBe('inner');
    expect(streamError({ error: 'outer', errorDetail: { message: '  ' } })).toBe('outer');
    expect(streamError({ errorDetail: {} })).toBe('the engine reported an error without a message');
  });
});

describe('push progress rules', () => {
  const start = (target = TARGET): PushProgress => newPushProgress('p1', target);
  const fold = (events: PushStreamEvent[], progress = start()) =>
    events.reduce((p, e) => foldPushEvent(p, e), progress);

  it('a stream that ends without a digest is a failure', () => {
    const model = fold(fixtureEvents('push-success').slice(0, -2));
    const final = finishPush(model, noDigest);
    expect(final.state).toBe('failed');
    expect(final.failure?.message).toBe('no digest');
  });

  it('takes the digest from the status line when there is no aux', () => {
    const model = fold([{ status: `1.0: digest: ${DIGEST} size: 739` }]);
    expect(finishPush(model, noDigest)).toMatchObject({ state: 'succeeded', digest: DIGEST, size: 739 });
  });

  it('the digest stays out of the model until the push has succeeded', () => {
    const progress = fold(fixtureEvents('push-success'));
    expect(progress.model).toMatchObject({ state: 'pushing', digest: null, size: null });
    expect(progress.proof).toEqual({ digest: DIGEST, size: 739 });
    expect(finishPush(progress, noDigest)).toMatchObject({ state: 'succeeded', digest: DIGEST, size: 739 });
  });

  it('an error line wins over a digest that comes after it', () => {
    const model = fold([{ errorDetail: { message: 'blob upload unknown' } }, { aux: { Digest: DIGEST, Size: 1 } }]);
    const final = finishPush(model, noDigest);
    expect(final.state).toBe('failed');
    expect(final.digest).toBeNull();
    expect(final.failure).toMatchObject({ code: 'PUSH_FAILED' });
    expect(final.failure?.message).toContain('blob upload unknown');
    expect(final.failure?.fix).toContain('127.0.0.1:5999');
  });

  it('an error line after a digest fails the push and drops the digest', () => {
    // The recorded successful stream, then an error line: the digest already received proves nothing.
    const progress = fold([...fixtureEvents('push-success'), { error: 'unauthorized: authentication required' }]);
    const final = finishPush(progress, noDigest);
    expect(final.state).toBe('failed');
    expect(final.digest).toBeNull();
    expect(final.size).toBeNull();
    expect(progress.proof).toBeNull();
    PushModel.parse(final);
  });

  it('denied is AUTH_FAILED with a fix about the namespace', () => {
    // The line Docker Hub sends without rights to the namespace (REFERENCE.md section 4).
    const message = 'denied: requested access to the resource is denied';
    const { model } = fold([{ errorDetail: { message }, error: message }], start('someone/app:1.0'));
    expect(model.failure?.code).toBe('AUTH_FAILED');
    expect(model.failure?.message).toContain(message);
    expect(model.failure?.fix).toMatch(/user name or an organisation/);
  });

  it('a refusal worded as a quota is PUSH_FAILED about space, not a login problem', () => {
    // Not seen for real here (docker-registry has no quotas); the wording of a registry that has them.
    const message = 'denied: adding 3 MiB of storage would exceed the storage quota of this project';
    const { model } = fold([{ errorDetail: { message }, error: message }]);
    expect(model.failure?.code).toBe('PUSH_FAILED');
    expect(model.failure?.message).toContain(message);
    expect(model.failure?.fix).toMatch(/storage quota/);
  });

  it('Waiting and clamping with total 0 keep numbers sane', () => {
    const { model } = fold([
      { status: 'Waiting', id: 'aaa', progressDetail: {} },
      { status: 'Pushing', id: 'aaa', progressDetail: { current: 10, total: 0 } },
      { status: 'Pushing', id: 'bbb', progressDetail: { current: 500, total: 100 } },
    ]);
    expect(model.layers).toEqual([
      { id: 'aaa', status: 'pushing', current: 10, total: 0 },
      { id: 'bbb', status: 'pushing', current: 100, total: 100 },
    ]);
  });

  it('failPush keeps finished layers and marks the rest failed', () => {
    const { model } = fold([
      { status: 'Pushed', id: 'aaa' },
      { status: 'Preparing', id: 'bbb' },
    ]);
    const failed = failPush(model, new BerthError('CANCELLED', 'stopped'));
    expect(failed.layers.map((l) => l.status)).toEqual(['pushed', 'failed']);
    expect(failed.failure).toEqual({ code: 'CANCELLED', message: 'stopped' });
  });

  it('failPush clears a digest the model was given, so no failed model carries one', () => {
    const withDigest: PushModel = { ...newPushModel('p1', TARGET), state: 'pushing', digest: DIGEST, size: 739 };
    const failed = failPush(withDigest, new BerthError('PUSH_FAILED', 'refused'));
    expect(failed).toMatchObject({ state: 'failed', digest: null, size: null });
    expect(PushModel.safeParse(withDigest).success).toBe(false);
    expect(PushModel.safeParse(failed).success).toBe(true);
  });

  it('the contract allows a digest on a succeeded push only, and demands one there', () => {
    const base = newPushModel('p1', TARGET);
    expect(PushModel.safeParse({ ...base, state: 'succeeded', digest: DIGEST, size: 1 }).success).toBe(true);
    expect(PushModel.safeParse({ ...base, state: 'succeeded' }).success).toBe(false);
    const failure = { code: 'PUSH_FAILED', message: 'refused', fix: 'push again' };
    expect(PushModel.safeParse({ ...base, state: 'failed', failure, digest: DIGEST }).success).toBe(false);
    expect(PushModel.safeParse({ ...base, state: 'failed', failure, size: 739 }).success).toBe(false);
  });
});
