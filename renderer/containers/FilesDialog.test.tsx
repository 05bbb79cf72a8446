import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FolderListing } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { container, images } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ContainersView } from './ContainersView';
import { permissions } from './FilesDialog';

const project = (folderPicker: boolean) => ({
  contextDir: '/repo',
  dockerfile: 'Dockerfile',
  buildArgs: {},
  tags: [],
  folderPicker,
});

const listingOf = (path: string): FolderListing => ({
  path,
  truncated: false,
  entries:
    path === '/'
      ? [{ name: 'srv', kind: 'folder', sizeBytes: 0, mode: 0o755, modified: '2026-01-01T00:00:00.000Z' }]
      : [{ name: 'notes.txt', kind: 'file', sizeBytes: 1234, mode: 0o640, modified: '2026-01-01T00:00:00.000Z' }],
});

/** A Containers view with one container, whose folder listings are recorded in `listed`. */
function filesApi(folderPicker: boolean, listed: string[]): FakeApi {
  return new FakeApi()
    .on('containers.list', [container()])
    .on('images.list', images)
    .on('project.default', project(folderPicker))
    .on('files.list', ({ path }) => {
      listed.push(path);
      return listingOf(path);
    });
}

describe('permissions', () => {
  it('reads as ls -l does', () => {
    expect(permissions(0o755)).toBe('rwxr-xr-x');
    expect(permissions(0o640)).toBe('rw-r-----');
    expect(permissions(0)).toBe('---------');
  });
});

describe('FilesDialog', () => {
  it('opens folders by click and by typed path (normalised), and asks the desktop app to copy out', async () => {
    const listed: string[] = [];
    const copied: string[] = [];
    const api = filesApi(true, listed).on('files.copyOut', ({ path }) => {
      copied.push(path);
      return { destination: '/home/me', files: 1, bytes: 1234, skipped: [] };
    });
    renderWithApi(<ContainersView />, api);
    await userEvent.click(await screen.findByRole('button', { name: /^Files of / }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Open srv' }));
    await within(dialog).findByRole('table', { name: 'Files in /srv' });
    const path = within(dialog).getByRole('textbox', { name: 'Container path' });
    await userEvent.clear(path);
    await userEvent.type(path, '/srv/x/../{Enter}');
    expect(path).toHaveValue('/srv');
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Download notes.txt' }));
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Copied 1 file (1.2 kB) to /home/me.');
    expect(copied).toEqual(['/srv/notes.txt']);
    expect(listed[0]).toBe('/');
    expect(listed).toContain('/srv');
    expect(within(dialog).queryByLabelText('Files to upload')).not.toBeInTheDocument();
  });

  it('refuses a relative path without asking the backend, and offers uploads in web mode', async () => {
    const listed: string[] = [];
    const api = filesApi(false, listed);
    renderWithApi(<ContainersView />, api);
    await userEvent.click(await screen.findByRole('button', { name: /^Files of / }));
    const dialog = await screen.findByRole('dialog');
    const path = await within(dialog).findByRole('textbox', { name: 'Container path' });
    await userEvent.clear(path);
    await userEvent.type(path, 'etc{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('"etc" is not an absolute path.');
    expect(listed).toEqual(['/']);
    expect(within(dialog).getByLabelText('Files to upload')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: /^Upload/ })).toBeDisabled();
  });
});
