import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { docker, EngineLitter, uniqueName, waitFor } from '../../../test/engine-harness';
import { SocketProxy } from '../../../test/socket-proxy';
import { EngineEvent } from '../../contract';
import { Engine } from './engine';
import { EngineEvents } from './events';

const nodeImage = inject('nodeImage');
const litter = new EngineLitter();
let dir: string;
let proxy: SocketProxy;
let engine: Engine;
let events: EngineEvents;
let received: EngineEvent[];

/** Runs a short-lived container through the CLI, on the real socket (not through the proxy). */
const runContainer = (name: string) => docker('run', '--name', litter.container(name), nodeImage, 'true');

const eventFor = (name: string, action: string) => async () =>
  received.find((e) => e.type === 'container' && e.action === action && e.name === name);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
  proxy = new SocketProxy(join(dir, 'docker.sock'));
  await proxy.start();
  engine = new Engine({ env: { DOCKER_HOST: proxy.endpoint }, configDir: dir });
  events = new EngineEvents(engine);
  received = [];
});
afterEach(async () => {
  events.close();
  engine.close();
  await proxy.stop();
  await litter.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine events', () => {
  it('delivers a CLI docker run as normalised start and die events', async () => {
    events.subscribe((e) => received.push(e));
    await waitFor(async () => (events.open ? true : undefined), 5000, 'the event stream');
    const name = uniqueName('events');
    await runContainer(name);
    const start = await waitFor(eventFor(name, 'start'), 5000, 'the start event');
    const die = await waitFor(eventFor(name, 'die'), 5000, 'the die event');
    expect(EngineEvent.parse(start)).toEqual(start);
    const id = await docker('inspect', '--format', '{{.Id}}', name);
    expect(start).toMatchObject({ id, name, attributes: { image: nodeImage, name } });
    expect(die.attributes.exitCode).toBe('0');
    expect(Math.abs(start.time - Date.now())).toBeLessThan(30_000);
  });

  it('shares one /events stream between all listeners, and closes it with the last', async () => {
    const first: EngineEvent[] = [];
    const second: EngineEvent[] = [];
    const stopFirst = events.subscribe((e) => first.push(e));
    const stopSecond = events.subscribe((e) => second.push(e));
    await waitFor(async () => (events.open ? true : undefined), 5000, 'the event stream');
    const name = uniqueName('shared');
    await runContainer(name);
    await waitFor(
      async () => (second.some((e) => e.name === name && e.action === 'die') ? true : undefined),
      5000,
      'die',
    );
    expect(first.filter((e) => e.name === name).map((e) => e.action)).toEqual(
      second.filter((e) => e.name === name).map((e) => e.action),
    );
    expect(proxy.eventStreams()).toBe(1);
    stopFirst();
    expect(events.open).toBe(true);
    stopSecond();
    expect(events.open).toBe(false);
  });

  it('recovers after the stream is cut, including what happened while it was down', async () => {
    const states: string[] = [];
    engine.onStatus((s) => states.push(s.state));
    events.subscribe((e) => received.push(e));
    await waitFor(async () => (events.open ? true : undefined), 5000, 'the event stream');
    const before = uniqueName('before');
    await runContainer(before);
    await waitFor(eventFor(before, 'die'), 5000, 'the first die event');

    await proxy.stop(); // as if the engine went away
    await waitFor(async () => (engine.current().state === 'disconnected' ? true : undefined), 5000, 'disconnected');
    const during = uniqueName('during');
    await runContainer(during);
    await proxy.start();

    await waitFor(eventFor(during, 'die'), 10_000, 'the event from while the stream was down');
    const after = uniqueName('after');
    await runContainer(after);
    await waitFor(eventFor(after, 'die'), 5000, 'a live event after recovery');

    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('connected');
    expect(proxy.eventStreams()).toBe(2);
    const keys = received.map((e) => JSON.stringify(e));
    expect(new Set(keys).size).toBe(keys.length); // replayed events are not delivered twice
    expect(received.filter((e) => e.name === before && e.action === 'start')).toHaveLength(1);
  });
});
