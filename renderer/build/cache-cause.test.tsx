import { render, screen, within } from '@testing-library/react';
import type { CacheExplanation } from '../../electron/contract';
import { buildModel, NOW, recordSummary, step } from '../test/fixtures';
import { BuildHistory } from './BuildHistory';
import { DockerfileSteps } from './DockerfileSteps';

const steps = [
  step({ id: 'b-1', index: 0, stage: 'stage-0', line: 1, instruction: 'FROM base', state: 'cached' }),
  step({ id: 'b-2', index: 1, stage: 'stage-0', line: 2, instruction: 'COPY src ./src', state: 'done' }),
  step({ id: 'b-3', index: 2, stage: 'stage-0', line: 3, instruction: 'RUN npm test', state: 'done' }),
];

const explanation: CacheExplanation = {
  previousBuildId: 'before',
  steps: [
    {
      stepId: 'b-2',
      role: 'cause',
      changes: [
        {
          kind: 'files',
          sources: ['src'],
          added: [],
          removed: [],
          modified: [{ path: 'src/b.js', oldSize: 10, newSize: 2048 }],
          counts: { added: 0, removed: 0, modified: 1 },
        },
      ],
      causeStepId: null,
    },
    { stepId: 'b-3', role: 'consequence', changes: [], causeStepId: 'b-2' },
  ],
};

const row = (instruction: string) => screen.getByRole('listitem', { name: new RegExp(instruction) });

describe('why a step ran, beside its row', () => {
  it('the first miss names the changed file with its sizes; the next says it followed from that line', () => {
    render(<DockerfileSteps model={buildModel({ state: 'succeeded', steps, cacheCauses: explanation })} now={NOW} />);
    expect(within(row('COPY src')).getByTestId('step-cause')).toHaveTextContent(
      'Why it ran: files changed: modified src/b.js (10 B → 2048 B)',
    );
    expect(within(row('RUN npm test')).getByTestId('step-cause')).toHaveTextContent(
      'Consequence: ran because line 2 (COPY src ./src) missed the cache',
    );
    expect(within(row('FROM base')).queryByTestId('step-cause')).toBeNull();
  });

  it('a cause with no change found says so honestly', () => {
    const honest: CacheExplanation = {
      previousBuildId: null,
      steps: [{ stepId: 'b-2', role: 'cause', changes: [], causeStepId: null }],
    };
    render(<DockerfileSteps model={buildModel({ state: 'succeeded', steps, cacheCauses: honest })} now={NOW} />);
    expect(within(row('COPY src')).getByTestId('step-cause')).toHaveTextContent(
      'no change found: the cache was pruned, or the previous build is unknown',
    );
  });

  it('a build without an explanation shows no cause line', () => {
    render(<DockerfileSteps model={buildModel({ state: 'succeeded', steps })} now={NOW} />);
    expect(screen.queryByTestId('step-cause')).toBeNull();
  });
});

describe('the first cause in the build history', () => {
  it('is shown under the change from the previous build', () => {
    const record = (buildId: string, at: number, firstCause: string | null) =>
      recordSummary({ buildId, at, firstCause });
    render(
      <BuildHistory
        records={[
          record('new', NOW - 1000, 'RUN echo two: instruction changed: RUN echo one → RUN echo two'),
          record('old', NOW - 9000, null),
        ]}
      />,
    );
    const rows = within(screen.getByRole('table', { name: 'Build history' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('instruction changed: RUN echo one → RUN echo two');
    expect(rows[2]).not.toHaveTextContent('instruction changed');
  });
});
