import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { EngineStatus } from '../../electron/contract';
import { ApiProvider } from '../app/api-context';
import { EngineProvider } from '../engine/engine-context';
import { FakeApi } from './fake-api';
import { connectedStatus } from './fixtures';

/** Render `ui` with a FakeApi (given or new) and the engine provider, as the app does. */
export function renderWithApi(ui: ReactElement, api: FakeApi = new FakeApi(), status: EngineStatus = connectedStatus) {
  if (!api.has('engine.status')) api.on('engine.status', status);
  const result = render(
    <ApiProvider api={api}>
      <EngineProvider>{ui}</EngineProvider>
    </ApiProvider>,
  );
  return { ...result, api };
}
