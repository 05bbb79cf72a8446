/**
 * One line of GET /events turned into the contract's EngineEvent, whichever API version wrote it:
 * new fields (Type, Action, Actor.ID, Actor.Attributes, timeNano) or the old ones (status, id, from, time).
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

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function attributesOf(raw: RawEvent): Record<string, string> {
  const attributes: Record<string, string> = {};
  const given = raw.Actor?.Attributes;
  if (given && typeof given === 'object') {
    for (const [key, value] of Object.entries(given)) {
      const s = text(value) ?? (typeof value === 'boolean' ? String(value) : undefined);
      if (s !== undefined) attributes[key] = s;
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
  const action = text(raw.Action) ?? text(raw.status);
  if (!action) return null;
  const id = text(raw.Actor?.ID) ?? text(raw.id) ?? '';
  const type = text(raw.Type) ?? (raw.from === undefined && OLD_IMAGE_ACTIONS.has(action) ? 'image' : 'container');
  const attributes = attributesOf(raw);
  const name = attributes.name;
  return { type, action, id, ...(name !== undefined && { name }), attributes, time: timeOf(raw) };
}
