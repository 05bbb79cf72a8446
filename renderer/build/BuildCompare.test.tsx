import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BuildModel } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { buildModel, NOW, recordSummary, step } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildCompare } from './BuildCompare';
import { compareSteps } from './compare-steps';

const summary = (buildId: string, at: number, contextDir = '/p') => recordSummary({ buildId, at, contextDir });

const s = (id: string, index: number, instruction: string, state: 'cached' | 'done', ms = 0) =>
  step({ id, index, stage: 'stage-0', line: index + 1, instruction, state, startedAt: NOW, endedAt: NOW + ms });

/** A finished build of three steps: FROM (cached), a RUN that ran for `ms`, and a RUN after it. */
const finished = (buildId: string, at: number, run: string, ms: number, over: Partial<BuildModel> = {}) =>
  buildModel({
    buildId,
    state: 'succeeded',
    startedAt: at,
    endedAt: at + 5000,
    steps: [
      s(`${buildId}1`, 0, 'FROM base', 'cached'),
      s(`${buildId}2`, 1, run, 'done', ms),
      s(`${buildId}3`, 2, 'RUN tail', 'done'),
    ],
    ...over,
  });
const older = finished('older', NOW - 60_000, 'RUN echo one', 3000);
const newer = finished('newer', NOW - 10_000, 'RUN echo two', 1500, {
  cacheCauses: {
    previousBuildId: 'older',
    steps: [
      {
        stepId: 'newer2',
        role: 'cause',
        changes: [{ kind: 'instruction', old: 'RUN echo one', new: 'RUN echo two' }],
        causeStepId: null,
      },
      { stepId: 'newer3', role: 'consequence', changes: [], causeStepId: 'newer2' },
    ],
  },
});
const elsewhere = buildModel({ buildId: 'elsewhere', state: 'succeeded', steps: [] });
const models: Record<string, BuildModel> = { older, newer, elsewhere };

describe('comparing two builds of a project', () => {
  it('pairs steps by instruction, so an edited line is one row per side and the rest line up', () => {
    const rows = compareSteps(older, newer);
    expect(rows.map((r) => [r.left?.instruction ?? null, r.right?.instruction ?? null])).toEqual([
      ['FROM base', 'FROM base'],
      ['RUN echo one', null],
      [null, 'RUN echo two'],
      ['RUN tail', 'RUN tail'],
    ]);
  });

  it('shows both builds side by side with verdicts, times and causes; offers only builds of the same project', async () => {
    const api = new FakeApi().on('build.get', ({ buildId }) => models[buildId]!);
    renderWithApi(
      <BuildCompare
        records={[summary('older', NOW - 60_000), summary('newer', NOW - 10_000), summary('elsewhere', NOW, '/q')]}
      />,
      api,
    );
    // the newest build is another project's, with nothing to compare: pick the newer build of /p
    expect(screen.getByRole('combobox', { name: 'Earlier build' })).toBeDisabled();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Build to compare' }), 'newer');
    const earlier = screen.getByRole('combobox', { name: 'Earlier build' });
    expect(
      within(earlier)
        .getAllByRole('option')
        .map((o) => o.getAttribute('value')),
    ).toEqual(['older']);
    const table = await screen.findByRole('table', { name: 'Steps of both builds' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent(/FROM base.*cached.*cached/);
    expect(within(rows[1]!).getAllByRole('cell')[3]).toHaveTextContent('not in this build');
    expect(rows[1]).toHaveTextContent(/RUN echo one.*ran.*3\.0 s/);
    expect(rows[2]).toHaveTextContent('Why it ran: instruction changed: RUN echo one → RUN echo two');
    expect(rows[2]).toHaveTextContent(/1\.5 s/);
    expect(within(rows[3]!).getAllByTestId('compare-cause')).toHaveLength(1);
    expect(rows[3]).toHaveTextContent('Consequence: ran because line 2 (RUN echo two) missed the cache');
    expect(api.calls.filter((c) => c.name === 'build.get').map((c) => c.input)).toEqual([
      { buildId: 'older' },
      { buildId: 'newer' },
    ]);
  });
});
