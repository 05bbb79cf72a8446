import { render, screen, within } from '@testing-library/react';
import { PushModel } from '../../electron/contract';
import { pushModel } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { PushProgress } from './PushProgress';

const DIGEST = `sha256:${'e'.repeat(64)}`;
/** The words the read-only registry of REFERENCE.md section 8 sends inside the 200 stream. */
const READ_ONLY = `error parsing HTTP 405 response body: invalid character 'M' looking for beginning of value: "Method not allowed\\n"`;
const refused = {
  code: 'PUSH_FAILED' as const,
  message: `127.0.0.1:5000 refused the upload of "127.0.0.1:5000/notas-iv:latest": ${READ_ONLY}`,
  fix: 'The registry answered 405 Method not allowed: it is read-only.',
};

describe('PushProgress', () => {
  it('shows the digest of a succeeded push', () => {
    render(<PushProgress model={pushModel({ state: 'succeeded', digest: DIGEST, size: 739 })} />);
    expect(screen.getByTestId('push-digest')).toHaveTextContent(DIGEST);
    expect(screen.getByRole('button', { name: 'Copy digest' })).toBeInTheDocument();
  });

  it('never shows a digest for a failed push, even one that carries a digest, and shows the registry words', () => {
    // A model outside the contract (the contract refuses a digest on a failed push): the view must not
    // trust that alone.
    const model = pushModel({ state: 'failed', digest: DIGEST, size: 739, failure: refused });
    expect(PushModel.safeParse(model).success).toBe(false);
    render(<PushProgress model={model} />);
    expect(screen.queryByTestId('push-digest')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy digest' })).toBeNull();
    expect(screen.queryByText(new RegExp(DIGEST.slice(7, 20)))).toBeNull();
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('PUSH_FAILED');
    expect(alert).toHaveTextContent('Method not allowed');
    expect(alert).toHaveTextContent('read-only');
    expect(within(screen.getByLabelText('Push state')).getByText('failed')).toBeInTheDocument();
  });

  it('shows no digest while the push is still under way', () => {
    render(<PushProgress model={pushModel({ state: 'pushing', digest: DIGEST, size: 739 })} />);
    expect(screen.queryByTestId('push-digest')).toBeNull();
  });

  it('shows each tag of a multi-tag push: the layers went up once', () => {
    const latest = '127.0.0.1:5000/notas-iv:latest';
    const first = '127.0.0.1:5000/notas-iv:1.2.0';
    const model = pushModel({
      target: first,
      state: 'succeeded',
      digest: DIGEST,
      size: 739,
      tags: [
        { target: first, state: 'succeeded', digest: DIGEST, pushed: 2, existing: 0 },
        { target: latest, state: 'succeeded', digest: DIGEST, pushed: 0, existing: 2 },
      ],
      login: { username: 'berth', source: 'helper' },
      page: { url: null, note: '127.0.0.1:5000 has no repository web page that Berth knows of.' },
    });
    expect(PushModel.safeParse(model).success).toBe(true);
    renderWithApi(<PushProgress model={model} />);
    const tags = within(screen.getByRole('list', { name: 'Tags' })).getAllByRole('listitem');
    expect(tags[0]).toHaveTextContent('2 layers pushed, 0 already in the registry');
    expect(tags[1]).toHaveTextContent('0 layers pushed, 2 already in the registry');
    expect(screen.getByText(/as berth \(credential helper\)/)).toBeInTheDocument();
    expect(screen.getByText('127.0.0.1:5000 has no repository web page that Berth knows of.')).toBeInTheDocument();
  });

  it("links Docker Hub's repository page after a push", () => {
    renderWithApi(
      <PushProgress
        model={pushModel({
          target: 'ana/notas-iv:1.0',
          state: 'succeeded',
          digest: DIGEST,
          size: 739,
          page: { url: 'https://hub.docker.com/r/ana/notas-iv', note: 'The repository on Docker Hub.' },
        })}
      />,
    );
    expect(screen.getByRole('link', { name: 'https://hub.docker.com/r/ana/notas-iv' })).toHaveAttribute(
      'href',
      'https://hub.docker.com/r/ana/notas-iv',
    );
  });
});
