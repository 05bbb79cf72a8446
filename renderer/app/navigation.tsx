import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { parseRoute, type Route, routeHash, type ViewId } from './routes';

interface Navigation {
  route: Route;
  navigate: (view: ViewId, params?: Record<string, string>) => void;
}

const NavigationContext = createContext<Navigation | null>(null);

/** The current view lives in location.hash, so reloads and e2e tests can open a view directly. */
export function NavigationProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = useCallback((view: ViewId, params: Record<string, string> = {}) => {
    const hash = routeHash(view, params);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute({ view, params });
  }, []);
  const value = useMemo(() => ({ route, navigate }), [route, navigate]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

const fallback: Navigation = { route: { view: 'build', params: {} }, navigate: () => {} };

/** Views rendered alone (in tests) get a navigation that goes nowhere. */
export function useNavigation(): Navigation {
  return useContext(NavigationContext) ?? fallback;
}
