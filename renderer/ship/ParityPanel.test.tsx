import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PARITY_DEADLINE_MS } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { parityFailed } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ParityPanel, parseDeadline } from './ParityPanel';

const IMAGE = 'notas-iv:latest';

const failed = (deadlineMs: number) => parityFailed(IMAGE, { deadlineMs, elapsedMs: deadlineMs + 100 });

describe('parseDeadline', () => {
  it('takes whole seconds from 1 to 600 and refuses anything else with the rule', () => {
    expect(parseDeadline('1')).toEqual({ seconds: 1 });
    expect(parseDeadline(' 600 ')).toEqual({ seconds: 600 });
    for (const bad of ['', '0', '601', '1.5', '-3', '10s', '1e2', 'NaN', '99999']) {
      expect(parseDeadline(bad)).toEqual({ error: 'Give whole seconds, 1 to 600.' });
    }
  });
});

describe('ParityPanel', () => {
  it('offers the default deadline and sends the one typed with the run', async () => {
    const api = new FakeApi().on('parity.run', (input) => failed(input.deadlineMs ?? PARITY_DEADLINE_MS));
    renderWithApi(<ParityPanel image={IMAGE} />, api);
    const field = screen.getByLabelText('Deadline (s)');
    expect(field).toHaveValue(String(PARITY_DEADLINE_MS / 1000));
    await userEvent.click(screen.getByRole('button', { name: 'Run as Heroku' }));
    await waitFor(() =>
      expect(api.callsTo('parity.run')).toEqual([{ image: IMAGE, platform: 'heroku', deadlineMs: PARITY_DEADLINE_MS }]),
    );

    await userEvent.clear(field);
    await userEvent.type(field, '12');
    await userEvent.click(screen.getByRole('button', { name: 'Run as Heroku' }));
    await waitFor(() => expect(api.callsTo('parity.run').at(-1)).toMatchObject({ deadlineMs: 12_000 }));
    expect(await screen.findByText(/listens on 3000/)).toBeInTheDocument();
  });

  it('refuses a deadline that is not whole seconds in range, and starts no run', async () => {
    const api = new FakeApi().on('parity.run', failed(PARITY_DEADLINE_MS));
    renderWithApi(<ParityPanel image={IMAGE} />, api);
    const field = screen.getByLabelText('Deadline (s)');
    await userEvent.clear(field);
    await userEvent.type(field, '0.5');
    expect(screen.getByRole('alert')).toHaveTextContent('Give whole seconds, 1 to 600.');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Run as Heroku' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Run as Azure' })).toBeDisabled();
    expect(api.callsTo('parity.run')).toEqual([]);
  });
});
