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

/**
 * Splits a byte stream into lines, keeping an unfinished line (and a split UTF-8 character)
 * until the next chunk completes it.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';

  /** The complete lines in `chunk` (plus what was left over before), without newlines or blanks. */
  push(chunk: Uint8Array | string): string[] {
    this.rest += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.trim()).filter(Boolean);
  }

  /** Drops a half-received line (the stream was cut). */
  reset(): void {
    this.rest = '';
    this.decoder.decode();
  }
}

/** Parses one /events line; null when it is not JSON or not an event. */
export function parseEventLine(line: string): EngineEvent | null {
  try {
    return normaliseEvent(JSON.parse(line));
  } catch {
    return null;
  }
}
