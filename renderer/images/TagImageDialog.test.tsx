import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { images } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ImagesView } from './ImagesView';

describe('tagging an image from the Images view', () => {
  it('checks the new name before sending, tags with images.tag, then says so and reloads the list', async () => {
    const api = new FakeApi().on('images.list', images).on('images.tag', { ok: true });
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Tag notas-iv:latest' }));
    const dialog = screen.getByRole('dialog', { name: 'Tag notas-iv:latest' });
    const name = screen.getByRole('textbox', { name: 'New name' });

    await userEvent.type(name, 'Bad Name');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('not a valid tag');
    expect(screen.getByRole('button', { name: 'Tag' })).toBeDisabled();

    await userEvent.clear(name);
    await userEvent.click(name);
    await userEvent.paste('[::1]:5000/notas-iv:1.0'); // typed, '[' would start a key name
    const listed = api.calls.filter((c) => c.name === 'images.list').length;
    await userEvent.click(screen.getByRole('button', { name: 'Tag' }));
    expect(await screen.findByText('Tagged notas-iv:latest as [::1]:5000/notas-iv:1.0.')).toBeInTheDocument();
    expect(dialog).not.toBeInTheDocument();
    expect(api.calls.find((c) => c.name === 'images.tag')?.input).toEqual({
      source: 'notas-iv:latest',
      target: '[::1]:5000/notas-iv:1.0',
    });
    expect(api.calls.filter((c) => c.name === 'images.list').length).toBeGreaterThan(listed);
  });

  it("shows the engine's refusal with its fix and keeps the dialog open", async () => {
    const api = new FakeApi()
      .on('images.list', images)
      .fail('images.tag', 'NOT_FOUND', 'No such image: notas-iv:latest', 'Build it first.');
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Tag notas-iv:latest' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'New name' }), 'notas-iv:2');
    await userEvent.click(screen.getByRole('button', { name: 'Tag' }));
    const dialog = screen.getByRole('dialog', { name: 'Tag notas-iv:latest' });
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('No such image: notas-iv:latest');
    expect(alert).toHaveTextContent('Build it first.');
    expect(dialog).toBeInTheDocument();
  });
});
