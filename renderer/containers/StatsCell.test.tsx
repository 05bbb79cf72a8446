import { act, screen } from '@testing-library/react';
import type { StatsSample } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { container, images } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ContainersView } from './ContainersView';
import { pushSample, STATS_MAX_SAMPLES, STATS_WINDOW_MS, sparklinePoints } from './stats-ring';

const sample = (at: number, cpuPercent = 10): StatsSample => ({
  at,
  cpuPercent,
  memoryBytes: 20_000_000,
  memoryLimitBytes: 1e9,
  netRxBytes: 1000,
  netTxBytes: 2000,
  blockReadBytes: 0,
  blockWriteBytes: 4096,
});

describe('stats ring', () => {
  it('keeps only the last ten minutes, and never more than the hard bound', () => {
    let ring: StatsSample[] = [];
    for (let t = 0; t <= STATS_WINDOW_MS + 60_000; t += 1000) ring = pushSample(ring, sample(t));
    expect(ring[0]!.at).toBeGreaterThan(ring[ring.length - 1]!.at - STATS_WINDOW_MS);
    ring = [];
    for (let i = 0; i < STATS_MAX_SAMPLES + 50; i++) ring = pushSample(ring, sample(i));
    expect(ring).toHaveLength(STATS_MAX_SAMPLES);
  });
  it('draws the highest value at the top', () => {
    expect(sparklinePoints([0, 50, 100], 10, 10, 100)).toBe('0.0,10.0 5.0,5.0 10.0,0.0');
  });
});

describe('StatsCell in the containers list', () => {
  it('streams stats for a visible running container only, shows them, and closes the stream when the view closes', async () => {
    const api = new FakeApi()
      .on('containers.list', [container(), container({ id: 'dead00000000', name: 'stopped', state: 'exited' })])
      .on('images.list', images);
    const { unmount } = renderWithApi(<ContainersView />, api);
    await screen.findByRole('table', { name: 'Containers' });
    await vi.waitFor(() => expect(api.open('stats')).toHaveLength(1));
    expect(api.open('stats')[0]!.params).toEqual({ id: 'c0ffee123456' });
    act(() => api.emit('stats', { kind: 'sample', sample: sample(1, 73) }));
    expect(await screen.findByText('73%')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'CPU of notas' })).toBeInTheDocument();
    unmount();
    expect(api.open('stats')).toHaveLength(0);
  });
});
