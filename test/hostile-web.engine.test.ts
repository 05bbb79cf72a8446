/**
 * The hostile-input table and the transport cases through a real web-mode server on the real engine
 * (test/hostile-web.ts): each case as its own test, checking the error (code, message, fix), the
 * server still answering a signed-in call, nothing that changes anything sent to dockerd, and
 * `docker ps -a`, `docker images` and `docker volume ls` unchanged around it and around the whole suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../electron/web/test/http-client';
import { HOSTILE_CASES } from './hostile-input';
import { engineState, HOSTILE_WEB_CASES, runWebCase, startHostileWebTarget, type WebTarget } from './hostile-web';

let target: WebTarget;
let firstState = '';
let state = '';
/** Cases during which the engine changed while Berth sent it nothing that could (another process on dockerd). */
const outsideChanges: string[] = [];

beforeAll(async () => {
  target = await startHostileWebTarget();
  firstState = await engineState();
  state = firstState;
});

afterAll(async () => {
  await target?.close();
  if (outsideChanges.length > 0) {
    console.info(`[hostile-web] engine changed by another process during: ${outsideChanges.join('; ')}`);
  }
});

describe('hostile input through a real web-mode server (real engine)', () => {
  it('covers the whole table and at least 100 cases', () => {
    expect(HOSTILE_WEB_CASES.filter((c) => c.layer === 'table')).toHaveLength(HOSTILE_CASES.length);
    expect(HOSTILE_WEB_CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(HOSTILE_WEB_CASES.map((c) => [`${c.layer}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const outcome = await runWebCase(target, c);
    expect(outcome.problems).toEqual([]);
    const before = state;
    const after = await engineState();
    state = after;
    if (after !== before) {
      // dockerd is shared; a change is Berth's only if it sent something that could make one.
      expect(outcome.sent.filter((line) => !/^(GET|HEAD) /.test(line))).toEqual([]);
      outsideChanges.push(c.name);
    }
  });

  it('would see it: a valid call through the same server reaches dockerd through the recording proxy', async () => {
    // The control for the checks above: an empty list of requests means nothing was sent, not that the
    // proxy was bypassed. Stopping a container that does not exist changes nothing, and dockerd says so.
    const sentBefore = target.proxy.requests.length;
    const reply = await send(target.server.port, '/api/call/containers.stop', {
      method: 'POST',
      headers: { ...target.browserHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'berth-hostile-never' }),
    });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body).error).toMatchObject({ code: 'NOT_FOUND', fix: expect.any(String) });
    expect(target.proxy.requests.slice(sentBefore)).toContainEqual(
      expect.stringMatching(/^POST \S*\/containers\/berth-hostile-never\/stop/),
    );
  });

  it('leaves the engine as it found it', () => {
    if (outsideChanges.length === 0) expect(state).toBe(firstState);
  });
});
