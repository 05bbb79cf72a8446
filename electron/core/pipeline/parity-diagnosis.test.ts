import { describe, expect, it } from 'vitest';
import { diagnoseParity } from './parity-diagnosis';

const base = { platform: 'heroku' as const, port: 41234, deadlineMs: 30_000, exitCode: null };

describe('diagnoseParity', () => {
  it('names the port the app listens on when it ignores $PORT', () => {
    const { problem, fix } = diagnoseParity({ ...base, listening: [{ address: '0.0.0.0', port: 3000 }] });
    expect(problem).toBe('The app ignores $PORT (41234) and listens on 3000.');
    expect(fix).toMatch(/process\.env\.PORT/);
  });

  it('names every port when there are several', () => {
    const listening = [
      { address: '0.0.0.0', port: 3000 },
      { address: '::', port: 3000 },
      { address: '0.0.0.0', port: 9229 },
    ];
    expect(diagnoseParity({ ...base, listening }).problem).toBe(
      'The app ignores $PORT (41234) and listens on 3000 and 9229.',
    );
  });

  it('says when the app listens on $PORT on loopback only', () => {
    const { problem, fix } = diagnoseParity({ ...base, listening: [{ address: '127.0.0.1', port: 41234 }] });
    expect(problem).toContain('only on 127.0.0.1');
    expect(fix).toContain('0.0.0.0');
  });

  it('says when the app listens on $PORT but does not speak HTTP in time', () => {
    expect(diagnoseParity({ ...base, listening: [{ address: '::', port: 41234 }] }).problem).toBe(
      'The app listens on $PORT (41234) but gave no HTTP answer within 30 s.',
    );
  });

  it('says when nothing listens, and when the container exited', () => {
    expect(diagnoseParity({ ...base, listening: [] }).problem).toContain('listens on no TCP port');
    expect(diagnoseParity({ ...base, exitCode: 1, lastLogs: 'Error: boom', listening: null }).problem).toBe(
      'The container exited with code 1 before answering HTTP on $PORT (41234). Its last output: Error: boom',
    );
  });
});
