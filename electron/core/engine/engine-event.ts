/**
 * One line of GET /events turned into the contract's EngineEvent, whichever API version wrote it:
 * new fields (Type, Action, Actor.ID, Actor.Attributes, timeNano) or the old ones (status, id, from, time).
 * Podman's events (fixtures/events-podman-4.3.fixture.jsonl) are brought to dockerd's shape: its attributes that
 * do not apply come as empty strings and are dropped, `containerExitCode` (always "0", even on start) is dropped
 * in favour of `exitCode`, which Podman also sends on `die`, and a container `remove` is dockerd's `destroy`.
 */
import type { EngineEvent } from '../../contract';

interface RawEvent {
  Type?: unknown;
  Action?: unknown;
  Actor?: { ID?: unknown; Attributes?: unknown };
  status?: unknown;
  id?: unknown;
  from?: unknown;
  time?: unknown;
  timeNano?: unknown;
}

/** Actions that, in the old format (no Type), were about images rather than containers. */
const OLD_IMAGE_ACTIONS = new Set(['untag', 'delete', 'tag', 'pull', 'push', 'import', 'load', 'save']);

/** Podman's attributes with no dockerd meaning. */
const PODMAN_ONLY = new Set(['containerExitCode', 'podId']);
/** Podman's names for actions dockerd names otherwise, by event type. */
const PODMAN_ACTIONS: Record<string, Record<string, string>> = { container: { remove: 'destroy' } };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function attributesOf(raw: RawEvent): Record<string, string> {
  const attributes: Record<string, string> = {};
  const given = raw.Actor?.Attributes;
  if (given && typeof given === 'object') {
    for (const [key, value] of Object.entries(given)) {
      const s = text(value) ?? (typeof value === 'boolean' ? String(value) : undefined);
      if (s !== undefined && s !== '' && !PODMAN_ONLY.has(key)) attributes[key] = s;
    }
  }
  const from = text(raw.from);
  if (from && attributes.image === undefined) attributes.image = from;
  return attributes;
}

function timeOf(raw: RawEvent): number {
  if (typeof raw.timeNano === 'number' && raw.timeNano > 0) return Math.floor(raw.timeNano / 1e6);
  if (typeof raw.time === 'number' && raw.time > 0) return raw.time * 1000;
  return Date.now();
}

/** Normalises one decoded /events object; returns null for something that is not an event. */
export function normaliseEvent(value: unknown): EngineEvent | null {
  if (!value || typeof value !== 'object') return null;
  const raw = value as RawEvent;
  let action = text(raw.Action) ?? text(raw.status);
  if (!action) return null;
  const id = text(raw.Actor?.ID) ?? text(raw.id) ?? '';
  const type = text(raw.Type) ?? (raw.from === undefined && OLD_IMAGE_ACTIONS.has(action) ? 'image' : 'container');
  action = PODMAN_ACTIONS[type]?.[action] ?? action;
  const attributes = attributesOf(raw);
  const name = attributes.name;
  return { type, action, id, ...(name !== undefined && { name }), attributes, time: timeOf(raw) };
}
