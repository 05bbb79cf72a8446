/**
 * The schema of BuildKit's `moby.buildkit.trace` payloads: a base64 protobuf `StatusResponse`
 * (moby/buildkit api/services/control/control.proto), declared from its field numbers.
 */
import protobuf from 'protobufjs';

export interface TraceVertex {
  digest: string;
  inputs: string[];
  name?: string;
  cached?: boolean;
  /** Milliseconds since the epoch. */
  started?: number;
  completed?: number;
  error?: string;
}

export interface TraceLog {
  vertex: string;
  timestamp?: number;
  stream: number;
  msg: Buffer;
}

export interface TraceWarning {
  vertex: string;
  level: number;
  short: string;
  detail: string[];
  url?: string;
}

export interface TraceStatus {
  vertex: string;
  id: string;
  current: number;
  total: number;
}

export interface StatusResponse {
  vertexes: TraceVertex[];
  statuses: TraceStatus[];
  logs: TraceLog[];
  warnings: TraceWarning[];
}

const { Type, Field, Root } = protobuf;

const timestamp = new Type('Timestamp').add(new Field('seconds', 1, 'int64')).add(new Field('nanos', 2, 'int32'));

const vertex = new Type('Vertex')
  .add(new Field('digest', 1, 'string'))
  .add(new Field('inputs', 2, 'string', 'repeated'))
  .add(new Field('name', 3, 'string'))
  .add(new Field('cached', 4, 'bool'))
  .add(new Field('started', 5, 'Timestamp'))
  .add(new Field('completed', 6, 'Timestamp'))
  .add(new Field('error', 7, 'string'));

const vertexStatus = new Type('VertexStatus')
  .add(new Field('ID', 1, 'string'))
  .add(new Field('vertex', 2, 'string'))
  .add(new Field('name', 3, 'string'))
  .add(new Field('current', 4, 'int64'))
  .add(new Field('total', 5, 'int64'))
  .add(new Field('timestamp', 6, 'Timestamp'))
  .add(new Field('started', 7, 'Timestamp'))
  .add(new Field('completed', 8, 'Timestamp'));

const vertexLog = new Type('VertexLog')
  .add(new Field('vertex', 1, 'string'))
  .add(new Field('timestamp', 2, 'Timestamp'))
  .add(new Field('stream', 3, 'int64'))
  .add(new Field('msg', 4, 'bytes'));

const vertexWarning = new Type('VertexWarning')
  .add(new Field('vertex', 1, 'string'))
  .add(new Field('level', 2, 'int64'))
  .add(new Field('short', 3, 'bytes'))
  .add(new Field('detail', 4, 'bytes', 'repeated'))
  .add(new Field('url', 5, 'string'));

const statusResponse = new Type('StatusResponse')
  .add(new Field('vertexes', 1, 'Vertex', 'repeated'))
  .add(new Field('statuses', 2, 'VertexStatus', 'repeated'))
  .add(new Field('logs', 3, 'VertexLog', 'repeated'))
  .add(new Field('warnings', 4, 'VertexWarning', 'repeated'));

new Root()
  .define('moby.buildkit.v1')
  .add(timestamp)
  .add(vertex)
  .add(vertexStatus)
  .add(vertexLog)
  .add(vertexWarning)
  .add(statusResponse);

interface RawTimestamp {
  seconds?: number;
  nanos?: number;
}

const millis = (t: RawTimestamp | undefined): number | undefined =>
  t ? (t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : undefined;

/** Decodes one trace payload (base64 text as sent in the stream's `aux`). */
export function decodeTrace(base64: string): StatusResponse {
  const message = statusResponse.decode(Buffer.from(base64, 'base64'));
  // biome-ignore lint/suspicious/noExplicitAny: the plain object's shape is the schema above
  const raw = statusResponse.toObject(message, { longs: Number, bytes: Buffer, arrays: true }) as any;
  return {
    vertexes: raw.vertexes.map(
      (v: Record<string, unknown>): TraceVertex => ({
        digest: v.digest as string,
        inputs: v.inputs as string[],
        ...(v.name ? { name: v.name as string } : {}),
        ...(v.cached ? { cached: true } : {}),
        ...(v.started ? { started: millis(v.started as RawTimestamp) } : {}),
        ...(v.completed ? { completed: millis(v.completed as RawTimestamp) } : {}),
        ...(v.error ? { error: v.error as string } : {}),
      }),
    ),
    statuses: raw.statuses.map(
      (s: Record<string, unknown>): TraceStatus => ({
        vertex: s.vertex as string,
        id: (s.ID as string | undefined) ?? '',
        current: (s.current as number | undefined) ?? 0,
        total: (s.total as number | undefined) ?? 0,
      }),
    ),
    logs: raw.logs.map(
      (l: Record<string, unknown>): TraceLog => ({
        vertex: l.vertex as string,
        timestamp: millis(l.timestamp as RawTimestamp),
        stream: (l.stream as number | undefined) ?? 1,
        msg: Buffer.from((l.msg as Uint8Array | undefined) ?? []),
      }),
    ),
    warnings: raw.warnings.map(
      (w: Record<string, unknown>): TraceWarning => ({
        vertex: (w.vertex as string | undefined) ?? '',
        level: (w.level as number | undefined) ?? 0,
        short: Buffer.from((w.short as Uint8Array | undefined) ?? []).toString('utf8'),
        detail: ((w.detail as Uint8Array[] | undefined) ?? []).map((d) => Buffer.from(d).toString('utf8')),
        ...(w.url ? { url: w.url as string } : {}),
      }),
    ),
  };
}
