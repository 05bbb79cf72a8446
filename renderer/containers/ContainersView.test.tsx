import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BerthError } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { container, images, NOW } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ContainersView } from './ContainersView';

function fake() {
  return new FakeApi()
    .on('containers.list', [container()])
    .on('images.list', images)
    .on('ports.suggest', ({ preferred }) => ({ port: Number(preferred ?? 5000) }));
}

describe('ContainersView', () => {
  it('shows loading, empty and error states', async () => {
    const { unmount } = renderWithApi(<ContainersView />, fake().hang('containers.list'));
    expect(screen.getByRole('status', { name: 'Loading containers' })).toBeInTheDocument();
    unmount();
    const second = renderWithApi(<ContainersView />, fake().on('containers.list', []));
    expect(await screen.findByRole('region', { name: 'No containers yet' })).toHaveTextContent('Run an image');
    second.unmount();
    renderWithApi(
      <ContainersView />,
      fake().fail('containers.list', 'ENGINE_UNREACHABLE', 'No engine.', 'Start Docker, then come back.'),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('No engine.');
    expect(alert).toHaveTextContent('Start Docker, then come back.');
  });

  it('lists state, image, health and the port as a link that opens through the app', async () => {
    const api = fake().on('app.openExternal', { ok: true });
    renderWithApi(<ContainersView />, api);
    const table = await screen.findByRole('table', { name: 'Containers' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('notas');
    expect(row).toHaveTextContent('running');
    expect(row).toHaveTextContent('notas-iv:latest');
    expect(row).toHaveTextContent('healthy');
    expect(row).toHaveTextContent(/3 min 0\d s|3 min/);
    const link = within(row).getByRole('link', { name: 'Open 127.0.0.1:5550 → 5000 in the browser' });
    expect(link).toHaveTextContent('127.0.0.1:5550 → 5000');
    expect(link).toHaveAttribute('href', 'http://127.0.0.1:5550/');
    await userEvent.click(link);
    expect(api.callsTo('app.openExternal')).toEqual([{ url: 'http://127.0.0.1:5550/' }]);
  });

  /** Generous: only reached when the uptime's interval is never set. */
  const UPTIME_TICK_DEADLINE_MS = 15_000;

  it('shows a just-started container uptime counting up from 0 s, and a stopped one without a frozen "ago"', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      vi.setSystemTime(NOW);
      // The engine stamped StartedAt a little ahead of this clock (the page's clock had not ticked yet).
      const justStarted = container({ status: 'Up Less than a second', startedAt: NOW + 700 });
      const stopped = container({
        id: 'dead00000001',
        name: 'old',
        state: 'exited',
        status: 'Exited (3) 5 seconds ago',
        health: null,
        image: `sha256:${'ab'.repeat(32)}`,
        ports: [],
      });
      renderWithApi(<ContainersView />, fake().on('containers.list', [justStarted, stopped]));
      const table = await screen.findByRole('table', { name: 'Containers' });
      const [, running, exited] = within(table).getAllByRole('row');
      const uptime = (row: HTMLElement) => within(row).getAllByRole('cell')[3]!.textContent;
      expect(uptime(running!)).toBe('0 s');
      // The uptime's ticking interval is set in an effect, which React may run after findBy has seen the
      // table (CI run 19, under load): advancing the clock before it exists would tick nothing.
      // (waitFor itself polls with the faked setInterval, so this waits on the real setTimeout.)
      const waitedSince = performance.now();
      while (vi.getTimerCount() === 0) {
        if (performance.now() - waitedSince > UPTIME_TICK_DEADLINE_MS)
          throw new Error('the uptime never started ticking');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(vi.getTimerCount()).toBe(1);
      act(() => vi.advanceTimersByTime(65_000));
      expect(uptime(running!)).toBe('1 min 04 s');
      expect(uptime(exited!)).toBe('Exited (3)');
      // An image given by id shows as `docker ps` shows it, the full id on hover.
      const image = within(exited!).getByText('abababababab');
      expect(image).toHaveAttribute('title', `sha256:${'ab'.repeat(32)}`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('falls back to window.open with noopener when openExternal is UNSUPPORTED', async () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const api = fake().fail('app.openExternal', 'UNSUPPORTED', 'Not in web mode.');
    renderWithApi(<ContainersView />, api);
    await userEvent.click(await screen.findByRole('link', { name: /Open 127.0.0.1:5550/ }));
    await waitFor(() => expect(open).toHaveBeenCalledWith('http://127.0.0.1:5550/', '_blank', 'noopener,noreferrer'));
    open.mockRestore();
  });

  it('runs with -e PORT and -p HOST_PORT:PORT, then shows the link and health', async () => {
    const started = container({
      id: 'new1',
      name: 'notas2',
      health: 'starting',
      ports: [{ hostIp: '127.0.0.1', hostPort: 5000, containerPort: 5000, protocol: 'tcp' }],
    });
    const api = fake().on('containers.run', started);
    renderWithApi(<ContainersView />, api);
    const form = await screen.findByRole('form', { name: 'Run a container' });
    await waitFor(() => expect(within(form).getByLabelText('Host port')).toHaveValue('5000'));
    await waitFor(() => expect(within(form).getByLabelText('Image')).toHaveValue('notas-iv:latest'));
    expect(within(form).getByLabelText('PORT')).toHaveValue('5000');
    await userEvent.type(within(form).getByLabelText('Container name'), 'notas2');
    await userEvent.type(within(form).getByLabelText('Volume'), 'notas-data:/data');
    await userEvent.click(within(form).getByRole('button', { name: 'Add env var' }));
    await userEvent.type(within(form).getByLabelText('env var 1 name'), 'DEBUG');
    await userEvent.type(within(form).getByLabelText('env var 1 value'), '1');
    await userEvent.click(within(form).getByRole('button', { name: 'Run' }));
    expect(api.callsTo('containers.run')).toEqual([
      {
        image: 'notas-iv:latest',
        name: 'notas2',
        env: { DEBUG: '1', PORT: '5000' },
        ports: [{ hostIp: '127.0.0.1', hostPort: 5000, containerPort: 5000 }],
        volumes: [{ source: 'notas-data', target: '/data', readOnly: false }],
      },
    ]);
    const result = await screen.findByRole('region', { name: 'Started container' });
    expect(within(result).getByRole('link', { name: /127.0.0.1:5000 → 5000/ })).toBeInTheDocument();
    expect(result).toHaveTextContent('starting');
  });

  it('shows INVALID_INPUT fields next to their inputs', async () => {
    const api = fake().fail(
      'containers.run',
      'INVALID_INPUT',
      'The run spec is not valid.',
      'Correct the marked fields.',
      {
        name: ['container name may use letters, digits, _ . - and must start with a letter or digit'],
        'ports.0.hostPort': ['port must be between 1 and 65535'],
      },
    );
    renderWithApi(<ContainersView />, api);
    const form = await screen.findByRole('form', { name: 'Run a container' });
    await waitFor(() => expect(within(form).getByLabelText('Host port')).toHaveValue('5000'));
    await userEvent.click(within(form).getByRole('button', { name: 'Run' }));
    expect(await within(form).findByText(/container name may use letters/)).toBeInTheDocument();
    expect(within(form).getByLabelText('Container name')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('Host port')).toHaveAccessibleDescription(/port must be between 1 and 65535/);
  });

  it('validates against the contract before calling the engine', async () => {
    const api = fake();
    renderWithApi(<ContainersView />, api);
    const form = await screen.findByRole('form', { name: 'Run a container' });
    await waitFor(() => expect(within(form).getByLabelText('Host port')).toHaveValue('5000'));
    await userEvent.clear(within(form).getByLabelText('Image'));
    await userEvent.type(within(form).getByLabelText('Image'), 'Notas IV');
    await userEvent.clear(within(form).getByLabelText('Host port'));
    await userEvent.type(within(form).getByLabelText('Host port'), '70000');
    await userEvent.click(within(form).getByRole('button', { name: 'Run' }));
    expect(within(form).getByLabelText('Image')).toHaveAccessibleDescription(/not a valid image reference/);
    expect(within(form).getByLabelText('Host port')).toHaveAccessibleDescription(/between 1 and 65535/);
    expect(api.callsTo('containers.run')).toHaveLength(0);
  });

  it('shows PORT_TAKEN at the host port with a free-port suggestion', async () => {
    const api = fake().on('containers.run', () => {
      throw new BerthError('PORT_TAKEN', 'Host port 5000 is already in use.', 'Pick another host port.');
    });
    api.on('ports.suggest', ({ preferred }) => ({ port: preferred === 5000 ? 5000 : 5001 }));
    renderWithApi(<ContainersView />, api);
    const form = await screen.findByRole('form', { name: 'Run a container' });
    await waitFor(() => expect(within(form).getByLabelText('Host port')).toHaveValue('5000'));
    await userEvent.click(within(form).getByRole('button', { name: 'Run' }));
    expect(within(form).getByLabelText('Host port')).toHaveAccessibleDescription(/Host port 5000 is already in use/);
    await userEvent.click(await within(form).findByRole('button', { name: 'Use free port 5001' }));
    expect(within(form).getByLabelText('Host port')).toHaveValue('5001');
  });

  it('acts on a container and shows engine errors with their fix', async () => {
    const api = fake()
      .on('containers.stop', { ok: true })
      .fail(
        'containers.recreate',
        'BUILD_FAILED',
        'The rebuild failed at RUN npm run build.',
        'Open Build to see the failing step.',
      );
    renderWithApi(<ContainersView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Stop notas' }));
    expect(api.callsTo('containers.stop')).toEqual([{ id: 'c0ffee123456' }]);
    await userEvent.click(screen.getByRole('button', { name: 'Rebuild and recreate notas' }));
    expect(await screen.findByText('The rebuild failed at RUN npm run build.')).toBeInTheDocument();
    expect(screen.getByText('Open Build to see the failing step.')).toBeInTheDocument();
  });

  it('refreshes from engine container events', async () => {
    const api = fake().on('containers.list', []);
    renderWithApi(<ContainersView />, api);
    await screen.findByRole('region', { name: 'No containers yet' });
    api.on('containers.list', [container()]);
    act(() =>
      api.emit('engine', {
        kind: 'event',
        event: { type: 'container', action: 'start', id: 'c0ffee123456', attributes: {}, time: NOW },
      }),
    );
    expect(await screen.findByRole('table', { name: 'Containers' })).toBeInTheDocument();
  });
});
