import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import type { BuildStep } from '../../electron/contract';
import { NOW, step } from '../test/fixtures';
import { BuildStepRow } from './BuildStepRow';

function Row({ over }: { over: Partial<BuildStep> }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <ol>
      <BuildStepRow
        step={step({ id: 's', index: 0, instruction: 'RUN x', line: 3, ...over })}
        now={NOW}
        expanded={expanded}
        onToggle={() => setExpanded((e) => !e)}
      />
    </ol>
  );
}

const row = () => screen.getByRole('listitem');

describe('BuildStepRow verdicts', () => {
  it('a BuildKit metadata instruction says metadata, with no duration', () => {
    render(<Row over={{ instruction: 'ENV A=1', metadataOnly: true, state: 'metadata', startedAt: null }} />);
    expect(within(row()).getByText('metadata')).toHaveAttribute('title', expect.stringMatching(/no layer/));
    expect(row().querySelector('.step-duration')).toHaveTextContent('');
  });

  it('a legacy metadata instruction keeps the engine verdict and says it costs no layer', () => {
    render(<Row over={{ instruction: 'ENV A=1', metadataOnly: true, state: 'cached' }} />);
    expect(within(row()).getByText('cached')).toBeInTheDocument();
    expect(within(row()).getByText('no layer')).toBeInTheDocument();
  });

  it('a step that never ran says not run, never queued', () => {
    render(<Row over={{ state: 'not-run' }} />);
    expect(within(row()).getByText('not run')).toHaveAttribute('title', 'The build ended before this step ran.');
    expect(within(row()).queryByText('queued')).toBeNull();
    expect(row()).toHaveClass('step-not-run');
  });

  it('a step that ran shows "ran" and its duration', () => {
    render(<Row over={{ state: 'done', startedAt: NOW - 2000, endedAt: NOW }} />);
    expect(within(row()).getByText('ran')).toBeInTheDocument();
    expect(row().querySelector('.step-duration')?.textContent).not.toBe('');
  });
});

describe('BuildStepRow output', () => {
  it('legacy output claims no stream, and shows the last redraw of a progress line', async () => {
    render(
      <Row
        over={{
          state: 'running',
          logs: [
            { stream: 'unknown', text: 'Get:1 http://a' },
            { stream: 'unknown', text: 'Progress 10%\rProgress 100%' },
          ],
        }}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: /Show output/ }));
    expect(screen.getByText(/does not say whether a line came from stdout or stderr/)).toBeInTheDocument();
    const lines = [...row().querySelectorAll('pre > span')];
    expect(lines.map((l) => l.textContent)).toEqual(['Get:1 http://a\n', 'Progress 100%\n']);
    expect(lines.map((l) => l.getAttribute('data-stream'))).toEqual(['unknown', 'unknown']);
    expect(row().querySelector('.stderr')).toBeNull();
  });

  it('BuildKit output keeps stdout and stderr apart, without the unknown-stream note', async () => {
    render(
      <Row
        over={{
          state: 'error',
          logs: [
            { stream: 'stdout', text: 'hello' },
            { stream: 'stderr', text: 'broken' },
          ],
        }}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: /Show output/ }));
    expect(screen.queryByText(/does not say whether/)).toBeNull();
    expect(screen.getByText('broken')).toHaveClass('stderr');
    expect(screen.getByText('hello')).not.toHaveClass('stderr');
  });
});

/** A failed or finished step row offered the debug action. */
const renderDebuggable = (state: BuildStep['state'], onDebug: () => void) =>
  render(
    <ol>
      <BuildStepRow
        step={step({ id: 's', index: 0, instruction: 'RUN x', line: 3, state })}
        now={NOW}
        expanded
        onToggle={() => {}}
        onDebug={onDebug}
      />
    </ol>,
  );

describe('Debug this step', () => {
  it('is offered on a failed step that can be debugged, and opens the shell for it', async () => {
    const onDebug = vi.fn();
    renderDebuggable('error', onDebug);
    await userEvent.click(within(row()).getByRole('button', { name: 'Debug this step' }));
    expect(onDebug).toHaveBeenCalledTimes(1);
  });

  it('is not offered on a step that did not fail', () => {
    renderDebuggable('done', () => {});
    expect(within(row()).queryByRole('button', { name: 'Debug this step' })).toBeNull();
  });
});
