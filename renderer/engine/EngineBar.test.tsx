import { act, screen } from '@testing-library/react';
import { BerthError } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { connectedStatus, downStatus, podmanStatus } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { EngineBar } from './EngineBar';

describe('EngineBar', () => {
  it('says connecting until the engine answers, then shows context, endpoint, version and builder', async () => {
    const api = new FakeApi().hang('engine.status');
    renderWithApi(<EngineBar />, api);
    expect(screen.getByRole('status', { name: 'Engine connection' })).toHaveTextContent('connecting');
    act(() => api.emit('engine', { kind: 'status', status: connectedStatus }));
    expect(screen.getByRole('status', { name: 'Engine connection' })).toHaveTextContent('connected');
    expect(screen.getByTestId('engine-context')).toHaveTextContent('default');
    expect(screen.getByTestId('engine-endpoint')).toHaveTextContent('unix:///var/run/docker.sock');
    expect(screen.getByTestId('engine-version')).toHaveTextContent('27.3.1 (API 1.47)');
    expect(screen.getByTestId('engine-builder')).toHaveTextContent('BuildKit');
  });

  it('follows live status events: legacy builder, then disconnected with the builder unknown', async () => {
    const api = new FakeApi();
    renderWithApi(<EngineBar />, api);
    expect(await screen.findByText('connected')).toBeInTheDocument();
    act(() =>
      api.emit('engine', { kind: 'status', status: { ...connectedStatus, buildkit: false, context: 'remote' } }),
    );
    expect(screen.getByTestId('engine-builder')).toHaveTextContent('legacy');
    expect(screen.getByTestId('engine-context')).toHaveTextContent('remote');
    act(() => api.emit('engine', { kind: 'status', status: downStatus }));
    expect(screen.getByRole('status', { name: 'Engine connection' })).toHaveTextContent('disconnected');
    expect(screen.getByTestId('engine-builder')).toHaveTextContent('unknown');
  });

  it('shows disconnected when even the status call fails', async () => {
    const api = new FakeApi().fail('engine.status', 'INTERNAL', 'transport closed');
    renderWithApi(<EngineBar />, api);
    expect(await screen.findByText('disconnected')).toBeInTheDocument();
    act(() => api.emitError('engine', new BerthError('INTERNAL', 'socket closed')));
    expect(screen.getByText('disconnected')).toBeInTheDocument();
  });
});

describe('the capabilities in the engine bar', () => {
  it('names Podman and says why its builder is legacy; marks a Swarm manager', async () => {
    const api = new FakeApi();
    renderWithApi(<EngineBar />, api);
    expect(await screen.findByText('connected')).toBeInTheDocument();
    act(() => api.emit('engine', { kind: 'status', status: podmanStatus }));
    expect(screen.getByTestId('engine-kind')).toHaveTextContent('Podman');
    expect(screen.getByTestId('engine-builder')).toHaveTextContent('legacy');
    expect(screen.getByTestId('engine-builder')).toHaveAttribute('title', podmanStatus.buildkitMissing);
    act(() =>
      api.emit('engine', { kind: 'status', status: { ...connectedStatus, podman: false, swarmManager: true } }),
    );
    expect(screen.getByTestId('engine-kind')).toHaveTextContent('Docker · Swarm manager');
  });
});
