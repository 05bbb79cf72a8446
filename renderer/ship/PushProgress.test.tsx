import { render, screen, within } from '@testing-library/react';
import { PushModel } from '../../electron/contract';
import { pushModel } from '../test/fixtures';
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
});
