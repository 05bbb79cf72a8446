import { readFileSync } from 'node:fs';
import { EngineEvent, parseJsonObject } from '../../contract';
import { normaliseEvent } from './engine-event';

const parseEventLine = (line: string) => normaliseEvent(parseJsonObject(line));

/** Recorded from dockerd 20.10 (see fixtures/README.md): both old and new fields on container/image events. */
const recorded = readFileSync(new URL('./fixtures/events-api-1.41.fixture.jsonl', import.meta.url), 'utf8');
const rawLines = recorded.split('\n').filter(Boolean);
const raws = rawLines.map((l) => JSON.parse(l) as Record<string, unknown>);
const withFields = (raw: Record<string, unknown>, keep: string[]) =>
  Object.fromEntries(Object.entries(raw).filter(([k]) => keep.includes(k)));

describe('normalising engine events', () => {
  it('turns every recorded line into a valid EngineEvent', () => {
    const events = rawLines.map(parseEventLine);
    for (const event of events) expect(EngineEvent.parse(event)).toEqual(event);
    expect(events.length).toBe(raws.length);
  });

  it('reads type, action, id, name and nanosecond time from the new fields', () => {
    const start = raws.find((r) => r.Action === 'start' && JSON.stringify(r).includes('berth-fixture-events'))!;
    const event = normaliseEvent(withFields(start, ['Type', 'Action', 'Actor', 'time', 'timeNano']));
    expect(event).toEqual({
      type: 'container',
      action: 'start',
      id: (start.Actor as { ID: string }).ID,
      name: 'berth-fixture-events',
      attributes: { image: 'berth-node-base:node-20.20.2', name: 'berth-fixture-events' },
      time: Math.floor((start.timeNano as number) / 1e6),
    });
  });

  it('reads the old format (status, id, from, time) as a container event with the image attribute', () => {
    const die = raws.find((r) => r.status === 'die')!;
    const event = normaliseEvent(withFields(die, ['status', 'id', 'from', 'time']));
    expect(event).toEqual({
      type: 'container',
      action: 'die',
      id: die.id,
      attributes: { image: die.from },
      time: (die.time as number) * 1000,
    });
  });

  it('reads old-format image events (no from) as image events', () => {
    const tag = raws.find((r) => r.status === 'tag')!;
    expect(normaliseEvent(withFields(tag, ['status', 'id', 'time']))).toMatchObject({ type: 'image', action: 'tag' });
  });

  it('gives the same event from the mixed, old-only and new-only forms of a container line', () => {
    const create = raws.find((r) => r.status === 'create')!;
    const mixed = normaliseEvent(create)!;
    const newOnly = normaliseEvent(withFields(create, ['Type', 'Action', 'Actor', 'time', 'timeNano']))!;
    const oldOnly = normaliseEvent(withFields(create, ['status', 'id', 'from', 'time']))!;
    expect(newOnly).toEqual(mixed);
    expect({ ...oldOnly, time: 0 }).toMatchObject({ type: mixed.type, action: mixed.action, id: mixed.id, time: 0 });
    expect(Math.floor(mixed.time / 1000)).toBe(oldOnly.time / 1000);
  });

  it('keeps actions with details such as health_status as they are, and stringifies attributes', () => {
    const event = normaliseEvent({
      Type: 'container',
      Action: 'health_status: healthy',
      Actor: { ID: 'abc', Attributes: { name: 'web', exitCode: 0 } },
      time: 1700000000,
    });
    expect(event).toMatchObject({ action: 'health_status: healthy', attributes: { name: 'web', exitCode: '0' } });
  });

  it('rejects lines that are not events', () => {
    expect(parseEventLine('not json')).toBeNull();
    expect(parseEventLine('{"message":"hello"}')).toBeNull();
    expect(parseEventLine('null')).toBeNull();
  });
});

describe("normalising Podman's events (fixtures/events-podman-4.3.fixture.jsonl)", () => {
  const podman = readFileSync(new URL('./fixtures/events-podman-4.3.fixture.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean);
  const events = podman.map(parseEventLine);

  it('turns every recorded line into a valid EngineEvent, with no empty or Podman-only attributes', () => {
    for (const event of events) {
      expect(EngineEvent.parse(event)).toEqual(event);
      expect(Object.values(event?.attributes ?? {})).not.toContain('');
      expect(event?.attributes).not.toHaveProperty('containerExitCode');
      expect(event?.attributes).not.toHaveProperty('podId');
    }
    expect(events.length).toBe(podman.length);
  });

  it("names a container's removal destroy, as dockerd does, and keeps the exit code of die", () => {
    const container = events.filter((e) => e?.type === 'container' && e.name === 'evt');
    expect(container.map((e) => e?.action)).toEqual(['create', 'init', 'start', 'die', 'cleanup', 'destroy']);
    expect(container.find((e) => e?.action === 'die')?.attributes.exitCode).toBe('0');
    expect(container[0]?.attributes.image).toBe('localhost/berth-node-base:node-20.20.2');
  });
});
