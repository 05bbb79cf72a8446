import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BuildModel, BuildStep, OtlpTrace } from '../../electron/contract';
import { ApiProvider } from '../app/api-context';
import { FakeApi } from '../test/fake-api';
import { buildModel, NOW, step } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildTimeline, tickStep } from './BuildTimeline';

const START = NOW - 10_000;

const timed = (
  id: string,
  index: number,
  stage: string,
  instruction: string,
  from: number,
  to: number | null,
  after: string[],
  state: BuildStep['state'] = 'done',
): BuildStep =>
  step({
    id,
    index,
    stage,
    instruction,
    state,
    after,
    startedAt: START + from,
    endedAt: to === null ? null : START + to,
  });

/** A build that succeeded `wallMs` after START with these steps. */
const succeeded = (wallMs: number, steps: BuildStep[], over: Partial<BuildModel> = {}): BuildModel =>
  buildModel({ startedAt: START, endedAt: START + wallMs, state: 'succeeded', steps, ...over });

/** Two stages in parallel, `slow` 4 s and `fast` 1 s, both copied into the last one. */
const parallel = (over: Partial<BuildModel> = {}): BuildModel =>
  succeeded(
    5000,
    [
      timed('s1', 0, 'slow', 'FROM alpine AS slow', 0, 100, [], 'cached'),
      timed('s2', 1, 'slow', 'RUN sleep 4', 100, 4100, ['s1']),
      timed('f1', 2, 'fast', 'FROM alpine AS fast', 0, 100, [], 'cached'),
      timed('f2', 3, 'fast', 'RUN make', 100, 1100, ['f1']),
      timed('a1', 4, 'stage-2', 'FROM alpine', 0, 100, [], 'cached'),
      timed('a2', 5, 'stage-2', 'COPY --from=fast /f /f', 1100, 1200, ['a1', 'f2']),
      timed('a3', 6, 'stage-2', 'COPY --from=slow /s /s', 4100, 4200, ['a2', 's2']),
      step({ id: 'a4', index: 7, stage: 'stage-2', instruction: 'CMD ["x"]', state: 'metadata', after: ['a3'] }),
    ],
    over,
  );

const row = (name: RegExp) => screen.getByRole('listitem', { name });

describe('BuildTimeline', () => {
  it('draws one bar per step, to scale, grouped by stage, with the critical path marked in words', () => {
    renderWithApi(<BuildTimeline model={parallel()} now={NOW} />);
    const region = screen.getByRole('region', { name: 'Where the time went' });
    expect(
      within(region)
        .getAllByRole('region')
        .map((r) => r.getAttribute('aria-label')),
    ).toEqual(['Timeline of stage slow', 'Timeline of stage fast', 'Timeline of stage stage-2']);
    expect(screen.getByTestId('timeline-bar-s2')).toHaveStyle({ left: '2.000%', width: '80.000%' });
    expect(screen.getByTestId('timeline-bar-f2')).toHaveStyle({ left: '2.000%', width: '20.000%' });
    expect(row(/^RUN sleep 4: ran, 4\.0 s, from 100 ms to 4\.1 s, on the critical path$/)).toBeInTheDocument();
    expect(row(/^RUN make: ran, 1\.0 s/)).not.toHaveAccessibleName(/critical/);
    expect(row(/^CMD \["x"\]: configuration only, no layer, no time of its own$/)).toBeInTheDocument();
    expect(screen.queryByTestId('timeline-bar-a4')).toBeNull();
    expect(screen.getByTestId('timeline-critical')).toHaveTextContent(
      'Critical path: 3 steps, ending at 4.2 s of 5.0 s.',
    );
  });

  it('says what caching the slowest step would save, and why it is less than the step took', () => {
    renderWithApi(<BuildTimeline model={parallel()} now={NOW} />);
    // Without the sleep, the last COPY (100 ms) follows the fast stage's COPY (ends at 1.2 s): it ends at 1.3 s
    // instead of 4.2 s, 2.9 s sooner.
    expect(screen.getByTestId('timeline-what-if')).toHaveTextContent(
      'If the slowest step, RUN sleep 4 (4.0 s), were cached, the build would take about 2.9 s less (2.1 s instead of 5.0 s): another chain of steps then sets the time.',
    );
  });

  it('is live while the build runs: the running bar grows to now, no what-if and no export yet', () => {
    const running = parallel({
      state: 'running',
      endedAt: null,
      steps: [
        timed('s1', 0, 'slow', 'FROM alpine AS slow', 0, 100, [], 'cached'),
        timed('s2', 1, 'slow', 'RUN sleep 4', 100, null, ['s1'], 'running'),
      ],
    });
    const api = new FakeApi();
    const { rerender } = renderWithApi(<BuildTimeline model={running} now={START + 1000} />, api);
    expect(row(/^RUN sleep 4: running, 900 ms so far/)).toBeInTheDocument();
    expect(screen.getByTestId('timeline-bar-s2')).toHaveStyle({ width: '90.000%' });
    rerender(
      <ApiProvider api={api}>
        <BuildTimeline model={running} now={START + 2000} />
      </ApiProvider>,
    );
    expect(row(/^RUN sleep 4: running, 1\.9 s so far/)).toBeInTheDocument();
    expect(screen.queryByTestId('timeline-what-if')).toBeNull();
    expect(screen.queryByRole('button', { name: /Export trace/ })).toBeNull();
  });

  it('moves between bars with the arrow keys, Home and End, and opens a step with Enter', async () => {
    const opened: string[] = [];
    renderWithApi(<BuildTimeline model={parallel()} now={NOW} onOpenStep={(id) => opened.push(id)} />);
    const user = userEvent.setup();
    await user.tab(); // the export button
    await user.tab();
    expect(row(/^FROM alpine AS slow/)).toHaveFocus();
    expect(screen.getAllByRole('listitem').filter((li) => li.tabIndex === 0)).toHaveLength(1);
    await user.keyboard('{ArrowDown}');
    expect(row(/^RUN sleep 4/)).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(opened).toEqual(['s2']);
    await user.keyboard('{End}');
    expect(row(/^CMD/)).toHaveFocus();
    await user.keyboard('{ArrowDown}{Home}{ArrowUp}');
    expect(row(/^FROM alpine AS slow/)).toHaveFocus();
  });

  it('shows the legacy builder running in order, every step on the critical path', () => {
    const legacy = succeeded(
      3000,
      [
        timed('legacy-1', 0, 'stage-0', 'FROM alpine', 0, 100, [], 'cached'),
        timed('legacy-2', 1, 'stage-0', 'RUN a', 100, 2100, ['legacy-1']),
        timed('legacy-3', 2, 'stage-0', 'RUN b', 2100, 2900, ['legacy-2']),
      ],
      { builder: 'legacy' },
    );
    renderWithApi(<BuildTimeline model={legacy} now={NOW} />);
    expect(
      screen.getAllByRole('listitem').every((li) => /critical path/.test(li.getAttribute('aria-label') ?? '')),
    ).toBe(true);
    expect(screen.getByTestId('timeline-critical')).toHaveTextContent('the legacy builder runs every step in order');
    expect(screen.getByTestId('timeline-what-if')).toHaveTextContent('about 2.0 s less (1.0 s instead of 3.0 s).');
  });

  it('downloads the trace from build.trace as a JSON file', async () => {
    const trace: OtlpTrace = { resourceSpans: [] };
    const api = new FakeApi().on('build.trace', trace);
    const create = vi.fn((_blob: Blob) => 'blob:trace');
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWithApi(<BuildTimeline model={parallel()} now={NOW} />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Export trace (OTLP JSON)' }));
    expect(api.callsTo('build.trace')).toEqual([{ buildId: 'b1' }]);
    expect(click).toHaveBeenCalled();
    const blob = create.mock.calls[0]![0];
    expect(blob.type).toBe('application/json;charset=utf-8');
    expect(JSON.parse(await blob.text())).toEqual(trace);
    click.mockRestore();
  });

  it('says why the export failed', async () => {
    const api = new FakeApi().fail('build.trace', 'NOT_FOUND', 'No build record b1.', 'Pick a build from the list.');
    renderWithApi(<BuildTimeline model={parallel()} now={NOW} />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Export trace (OTLP JSON)' }));
    expect(await screen.findByText('No build record b1.')).toBeInTheDocument();
  });

  it('says when nothing ran outside the cache', () => {
    const cached = succeeded(500, [timed('c1', 0, 'stage-0', 'FROM alpine', 0, 10, [], 'cached')]);
    renderWithApi(<BuildTimeline model={cached} now={NOW} />);
    expect(screen.getByTestId('timeline-what-if')).toHaveTextContent('No step ran outside the cache');
  });

  it('picks 1, 2 or 5 times a power of ten for the axis ticks', () => {
    expect([900, 5000, 12_000, 61_000].map(tickStep)).toEqual([200, 1000, 5000, 20_000]);
  });
});
