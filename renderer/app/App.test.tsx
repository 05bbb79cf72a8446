import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { loginList } from '../ship/test-logins';
import { FakeApi } from '../test/fake-api';
import { connectedStatus, container, downStatus, images, projectDefaults } from '../test/fixtures';
import { App } from './App';
import { ApiProvider } from './api-context';

function fake() {
  return new FakeApi()
    .on('engine.status', connectedStatus)
    .on('project.default', projectDefaults)
    .on('build.records', [])
    .on('images.list', images)
    .on('containers.list', [container()])
    .on('ports.suggest', { port: 5000 })
    .on('registry.logins', loginList());
}

function renderApp(api = fake()) {
  render(
    <ApiProvider api={api}>
      <App />
    </ApiProvider>,
  );
  return api;
}

const main = () => screen.getByRole('main');

/** Generous: the first lazy view's module is transformed on first import, slow on a loaded machine. */
const FIRST_VIEW_DEADLINE_MS = 10_000;

describe('App', () => {
  it('opens on Build with a navigation of seven views', async () => {
    renderApp();
    const nav = screen.getByRole('navigation', { name: 'Views' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((l) => l.textContent?.replace(/g \w$/, '')),
    ).toEqual(['Build', 'Images', 'Containers', 'Logs', 'Ship', 'Disk', 'Services']);
    expect(within(nav).getByRole('link', { name: /Build/ })).toHaveAttribute('aria-current', 'page');
    expect(
      await screen.findByRole('form', { name: 'Build settings' }, { timeout: FIRST_VIEW_DEADLINE_MS }),
    ).toBeInTheDocument();
  });

  it('switches views with links, g-prefixed keys and Alt+digit', async () => {
    renderApp();
    await screen.findByRole('form', { name: 'Build settings' });
    await userEvent.click(screen.getByRole('link', { name: /Images/ }));
    expect(await within(main()).findByRole('heading', { name: 'Images' })).toBeInTheDocument();
    await userEvent.keyboard('gc');
    expect(await within(main()).findByRole('heading', { name: 'Containers' })).toBeInTheDocument();
    expect(screen.getByRole('main', { name: 'Containers' })).toBeInTheDocument();
    await userEvent.keyboard('{Alt>}5{/Alt}');
    expect(await within(main()).findByRole('heading', { name: 'Ship' })).toBeInTheDocument();
    await userEvent.keyboard('gl');
    expect(await within(main()).findByRole('heading', { name: 'Logs' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/logs');
  });

  it('does not take shortcuts while typing in a field', async () => {
    renderApp();
    const tags = await screen.findByLabelText('Tags');
    await userEvent.type(tags, 'gi');
    expect(screen.getByRole('main', { name: 'Build' })).toBeInTheDocument();
  });

  it('focuses the view search with / and shows the shortcut help with ?', async () => {
    renderApp();
    await userEvent.keyboard('gi');
    await within(main()).findByRole('table', { name: 'Images' });
    await userEvent.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Filter images' })).toHaveFocus();
    await userEvent.click(document.body);
    await userEvent.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(help).toHaveTextContent('Ctrl+Enter');
    expect(help).toHaveTextContent('Go to Containers');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps focus inside a dialog with Tab', async () => {
    renderApp();
    await userEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    const dialog = screen.getByRole('dialog');
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(close).toHaveFocus();
    await userEvent.tab();
    expect(close).toHaveFocus();
    await userEvent.tab({ shift: true });
    expect(close).toHaveFocus();
  });

  it('shows the engine-down screen with message and fix, and recovers by itself', async () => {
    const api = renderApp(fake().on('engine.status', downStatus));
    const down = await screen.findByRole('region', { name: 'Engine unreachable' });
    expect(down).toHaveTextContent('does not answer (ECONNREFUSED)');
    expect(down).toHaveTextContent('Start Docker (for example `sudo dockerd`)');
    expect(screen.queryByRole('form', { name: 'Build settings' })).not.toBeInTheDocument();
    act(() => api.emit('engine', { kind: 'status', status: connectedStatus }));
    expect(await screen.findByRole('form', { name: 'Build settings' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Engine unreachable' })).not.toBeInTheDocument();
  });

  it('goes down when a status event says disconnected, and "Check now" asks again', async () => {
    const api = renderApp();
    await screen.findByRole('form', { name: 'Build settings' });
    act(() => api.emit('engine', { kind: 'status', status: downStatus }));
    expect(screen.getByRole('region', { name: 'Engine unreachable' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Check now/ }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Engine unreachable' })).not.toBeInTheDocument());
    expect(api.callsTo('engine.status').length).toBeGreaterThanOrEqual(2);
  });
});
