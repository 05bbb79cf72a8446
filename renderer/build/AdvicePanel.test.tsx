import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type AdviceFinding, type AdviceMeasurement, type AdviceReport, BerthError } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { renderWithApi } from '../test/render';
import { AdvicePanel } from './AdvicePanel';

const SHA = 'a'.repeat(64);
const DIFF_SHA = 'd'.repeat(64);

const copyFirst: AdviceFinding = {
  id: 'copy-before-install:3',
  rule: 'copy-before-install',
  line: 3,
  endLine: 3,
  title: 'The whole context is copied (line 3) before the dependency install (line 4)',
  why: 'Every edit to any source file changes this COPY.',
  fixText: 'Copy only package.json before the install.',
  details: [],
  fix: {
    file: 'dockerfile',
    path: 'Dockerfile',
    summary: 'Copy package.json before the install; the whole context after it',
    diff: '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -2,3 +2,4 @@\n WORKDIR /app\n-COPY . .\n+COPY package.json ./\n RUN npm ci\n+COPY . .\n',
    fileSha256: SHA,
    diffSha256: DIFF_SHA,
  },
  prediction: {
    contextBytes: null,
    cachedAfterEdit: { before: 1, after: 3, of: 4, editedFile: 'index.js' },
    image: 'about the same',
  },
};

const ignore: AdviceFinding = {
  id: 'dockerignore:0',
  rule: 'dockerignore',
  line: null,
  endLine: null,
  title: '.dockerignore lets in node_modules',
  why: 'Everything in the context is sent.',
  fixText: 'Add **/node_modules to .dockerignore.',
  details: [{ label: 'node_modules', bytes: 4002 }],
  fix: null,
  prediction: { contextBytes: { before: 5000, after: 998 }, cachedAfterEdit: null, image: 'smaller' },
};

const report = (findings: AdviceFinding[]): AdviceReport => ({
  contextDir: '/p',
  dockerfile: 'Dockerfile',
  context: { bytes: 5000, files: 5 },
  findings,
});

const measured = (cached: number, steps: number): AdviceMeasurement => ({
  contextBytes: 5000,
  contextFiles: 5,
  imageBytes: 1_000_000,
  layerSteps: steps,
  cachedAfterEdit: cached,
  editedFile: 'index.js',
  builder: 'buildkit',
  at: 1,
});

const project = { contextDir: '/p', dockerfile: 'Dockerfile', buildArgs: { NODE_IMAGE: 'base:test' } };

describe('AdvicePanel', () => {
  it('lists each finding with its line, why and fix, and the bytes each .dockerignore entry would save', async () => {
    renderWithApi(<AdvicePanel project={project} />, new FakeApi().on('advice.check', report([ignore, copyFirst])));
    await userEvent.click(screen.getByRole('button', { name: 'Check the Dockerfile' }));
    const list = await screen.findByRole('list', { name: 'Findings' });
    const items = within(list).getAllByRole('listitem', { name: /:/ });
    expect(items.map((i) => i.getAttribute('aria-label'))).toEqual([
      '.dockerignore: .dockerignore lets in node_modules',
      'line 3: The whole context is copied (line 3) before the dependency install (line 4)',
    ]);
    expect(items[0]).toHaveTextContent('node_modules: 4.0 kB (4,002 bytes)');
    expect(items[1]).toHaveTextContent('Why: Every edit to any source file changes this COPY.');
    // A finding with no fix Berth can write offers no button to write one.
    expect(within(items[0]!).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows the diff first, writes only on confirmation (keyboard only), then rebuilds and shows measured beside predicted', async () => {
    const api = new FakeApi()
      .on('advice.check', report([copyFirst]))
      .on('advice.measure', measured(3, 4))
      .on('advice.apply', { path: 'Dockerfile', fileSha256: 'b'.repeat(64), report: report([]) });
    renderWithApi(<AdvicePanel project={project} />, api);
    const user = userEvent.setup();
    screen.getByRole('button', { name: 'Check the Dockerfile' }).focus();
    await user.keyboard('{Enter}');
    const show = await screen.findByRole('button', { name: 'Show the fix' });
    show.focus();
    await user.keyboard('{Enter}');
    const diff = screen.getByRole('group', { name: /Diff of Dockerfile/ });
    expect(diff).toHaveTextContent('-COPY . .');
    expect(diff).toHaveTextContent('+COPY package.json ./');
    expect(screen.getByRole('button', { name: 'Write this fix to Dockerfile' })).toHaveFocus();
    // Escape closes the diff; nothing was written.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group')).not.toBeInTheDocument();
    expect(api.callsTo('advice.apply')).toEqual([]);

    (await screen.findByRole('button', { name: 'Show the fix' })).focus();
    await user.keyboard('{Enter}');
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(api.callsTo('advice.apply')).toEqual([
        {
          contextDir: '/p',
          dockerfile: 'Dockerfile',
          findingId: 'copy-before-install:3',
          fileSha256: SHA,
          diffSha256: DIFF_SHA,
        },
      ]),
    );
    const effect = await screen.findByRole('region', { name: 'Effect of the fix' });
    await waitFor(() => expect(within(effect).getByRole('row', { name: /Steps cached/ })).toHaveTextContent('3 of 4'));
    expect(within(effect).getByRole('row', { name: /Steps cached/ })).toHaveTextContent(
      '1 → 3 of 4 (edit of index.js)',
    );
    expect(api.callsTo('advice.measure')).toEqual([
      { contextDir: '/p', dockerfile: 'Dockerfile', buildArgs: { NODE_IMAGE: 'base:test' }, builder: 'auto' },
    ]);
    expect(screen.getByText(/No findings/)).toBeInTheDocument();
  });

  it('shows a refused write (the file changed since the diff) with its code, message and fix', async () => {
    const api = new FakeApi()
      .on('advice.check', report([copyFirst]))
      .on('advice.apply', new BerthError('CONFLICT', 'Dockerfile changed since the diff was shown.', 'Look again.'));
    renderWithApi(<AdvicePanel project={project} />, api);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Check the Dockerfile' }));
    await user.click(await screen.findByRole('button', { name: 'Show the fix' }));
    await user.click(screen.getByRole('button', { name: 'Write this fix to Dockerfile' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('CONFLICT');
    expect(alert).toHaveTextContent('changed since the diff was shown');
    expect(alert).toHaveTextContent('Fix: Look again.');
    expect(api.callsTo('advice.measure')).toEqual([]);
  });
});
