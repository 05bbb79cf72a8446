import { createContext, type ReactNode, useContext } from 'react';
import type { BerthApi } from '../../electron/contract';

const ApiContext = createContext<BerthApi | null>(null);

/** Gives every view the one BerthApi (the real transport in the app, a fake in tests). */
export function ApiProvider({ api, children }: { api: BerthApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): BerthApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() needs an <ApiProvider> above it');
  return api;
}
