import type Dockerode from 'dockerode';
import type { LogEvent } from '../../contract';
import { readServiceLogs } from './swarm-services';

/** One frame of the engine's multiplexed log body: stream byte, three zero bytes, big-endian length, payload. */
const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('service logs', () => {
  it('reads the whole body dockerode hands back as one Buffer when not following', async () => {
    const body = Buffer.concat([frame(1, 'Listening at http://0.0.0.0:5000\n'), frame(2, 'a warning\n')]);
    const docker = {
      version: async () => ({ ApiVersion: '1.41', Os: 'linux', Components: [{ Name: 'Engine' }] }),
      info: async () => ({ Swarm: { LocalNodeState: 'active', ControlAvailable: true } }),
      getService: () => ({ inspect: async () => ({ ID: 'abcdefghijklmnopqrstuvwxy' }), logs: async () => body }),
    } as unknown as Dockerode;
    const events: LogEvent[] = [];
    await readServiceLogs({ docker, endpoint: 'unix:///fake.sock' }, 'notes', { deliver: (e) => events.push(e) });
    const lines = events.flatMap((e) => (e.kind === 'lines' ? e.lines : []));
    expect(lines).toEqual([
      { stream: 'stdout', text: 'Listening at http://0.0.0.0:5000' },
      { stream: 'stderr', text: 'a warning' },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'end', reason: 'done' });
  });
});
