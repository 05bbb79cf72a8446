import { readFileSync } from 'node:fs';
import { BerthError, PushModel } from '../../contract';
import {
  failPush,
  finishPush,
  foldPushEvent,
  newPushModel,
  PushStreamDecoder,
  type PushStreamEvent,
} from './push-progress';

// Recorded from dockerd 20.10 against a real docker-registry 2.8: see fixtures/README.md.
const TARGET = '127.0.0.1:5999/berth-test-record-8f7edb8b:1.0';
const DIGEST = 'sha256:f1815aa6fbea146cb9939b4eb593f7471883fa11bb61e744715d1b31e4947a03';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}.fixture.jsonl`, import.meta.url));

const noDigest = () => new BerthError('PUSH_FAILED', 'no digest');

/** Replays a recorded stream through the decoder and the fold, in odd-sized chunks, like the socket. */
function replay(name: string, target = TARGET): { models: PushModel[]; final: PushModel } {
  const bytes = fixture(name);
  const decoder = new PushStreamDecoder();
  let model = newPushModel('p1', target);
  const models: PushModel[] = [];
  const fold = (events: PushStreamEvent[]) => {
    for (const event of events) {
      model = foldPushEvent(model, event);
      models.push(model);
    }
  };
  for (let at = 0; at < bytes.length; at += 37) fold(decoder.write(bytes.subarray(at, at + 37)));
  fold(decoder.end());
  const final = finishPush(model, noDigest);
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

describe('push progress rules', () => {
  const start = () => newPushModel('p1', TARGET);
  const fold = (events: PushStreamEvent[], model = start()) => events.reduce((m, e) => foldPushEvent(m, e), model);

  it('a stream that ends without a digest is a failure', () => {
    const lines = fixture('push-success').toString().trim().split('\n').slice(0, -2);
    const model = fold(lines.map((l) => JSON.parse(l) as PushStreamEvent));
    const final = finishPush(model, noDigest);
    expect(final.state).toBe('failed');
    expect(final.failure?.message).toBe('no digest');
  });

  it('takes the digest from the status line when there is no aux', () => {
    const model = fold([{ status: `1.0: digest: ${DIGEST} size: 739` }]);
    expect(finishPush(model, noDigest)).toMatchObject({ state: 'succeeded', digest: DIGEST, size: 739 });
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

  it('an error line after a digest still fails the push', () => {
    const model = fold([{ aux: { Digest: DIGEST, Size: 1 } }, { error: 'unauthorized: authentication required' }]);
    expect(finishPush(model, noDigest).state).toBe('failed');
  });

  it('denied is AUTH_FAILED with a fix about the namespace', () => {
    // The line Docker Hub sends without rights to the namespace (REFERENCE.md section 4).
    const message = 'denied: requested access to the resource is denied';
    const model = fold([{ errorDetail: { message }, error: message }], newPushModel('p1', 'someone/app:1.0'));
    expect(model.failure?.code).toBe('AUTH_FAILED');
    expect(model.failure?.message).toContain(message);
    expect(model.failure?.fix).toMatch(/user name or an organisation/);
  });

  it('Waiting and clamping with total 0 keep numbers sane', () => {
    const model = fold([
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
    const model = fold([
      { status: 'Pushed', id: 'aaa' },
      { status: 'Preparing', id: 'bbb' },
    ]);
    const failed = failPush(model, new BerthError('CANCELLED', 'stopped'));
    expect(failed.layers.map((l) => l.status)).toEqual(['pushed', 'failed']);
    expect(failed.failure).toEqual({ code: 'CANCELLED', message: 'stopped' });
  });

  it('the decoder joins lines split across chunks and skips noise', () => {
    const decoder = new PushStreamDecoder();
    expect(decoder.write('{"status":"Prep')).toEqual([]);
    expect(decoder.write('aring","id":"a"}\nnot json\n[1]\n{"status":"Pus')).toEqual([
      { status: 'Preparing', id: 'a' },
    ]);
    expect(decoder.end()).toEqual([]);
  });
});
