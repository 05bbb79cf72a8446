import { container as containerSummary } from '../test/fixtures';
import { containerUptime } from './uptime';

const NOW = 1_800_000_000_000;

describe('containerUptime', () => {
  it('counts a running container from its StartedAt, moving with the clock', () => {
    const c = containerSummary({ state: 'running', status: 'Up 3 minutes', startedAt: NOW - 185_000 });
    expect(containerUptime(c, NOW)).toBe('3 min 05 s');
    expect(containerUptime(c, NOW + 10_000)).toBe('3 min 15 s');
  });

  it('reads a start just ahead of the clock (a render between ticks) as 0 s, not a dash', () => {
    const c = containerSummary({ state: 'running', status: 'Up Less than a second', startedAt: NOW + 800 });
    expect(containerUptime(c, NOW)).toBe('0 s');
  });

  it('marks a paused container', () => {
    const c = containerSummary({ state: 'paused', status: 'Up 5 seconds (Paused)', startedAt: NOW - 5_000 });
    expect(containerUptime(c, NOW)).toBe('5 s (paused)');
  });

  it('drops the frozen "… ago" from a stopped container status (engine texts)', () => {
    const at = (status: string, state: 'exited' | 'restarting' | 'created' = 'exited') =>
      containerUptime(containerSummary({ state, status, startedAt: NOW - 60_000 }), NOW);
    expect(at('Exited (3) 5 seconds ago')).toBe('Exited (3)');
    expect(at('Exited (0) About a minute ago')).toBe('Exited (0)');
    expect(at('Exited (137) Less than a second ago')).toBe('Exited (137)');
    expect(at('Exited (0) An hour ago')).toBe('Exited (0)');
    expect(at('Restarting (1) 2 seconds ago', 'restarting')).toBe('Restarting (1)');
    expect(at('Created', 'created')).toBe('Created');
  });

  it('falls back to the engine status for a running container whose inspect was missed', () => {
    const c = containerSummary({ state: 'running', status: 'Up 2 hours', startedAt: null });
    expect(containerUptime(c, NOW)).toBe('Up 2 hours');
  });
});
