import { Suspense, useEffect, useRef, useState } from 'react';
import { EngineBar } from '../engine/EngineBar';
import { EngineDownScreen } from '../engine/EngineDownScreen';
import { EngineProvider, useEngine } from '../engine/engine-context';
import { Spinner } from '../ui/Spinner';
import { HelpOverlay } from './HelpOverlay';
import { NavBar } from './NavBar';
import { NavigationProvider, useNavigation } from './navigation';
import { VIEWS, type ViewId } from './routes';
import { useShortcuts } from './use-shortcuts';
import { ViewBoundary } from './ViewBoundary';
import { lazyView } from './view-loading';
import './app.css';
import '../ui/ui.css';

const VIEW_COMPONENTS: Record<ViewId, React.LazyExoticComponent<React.ComponentType>> = {
  build: lazyView(() => import('../build/BuildView').then((m) => m.BuildView)),
  images: lazyView(() => import('../images/ImagesView').then((m) => m.ImagesView)),
  containers: lazyView(() => import('../containers/ContainersView').then((m) => m.ContainersView)),
  logs: lazyView(() => import('../logs/LogsView').then((m) => m.LogsView)),
  disk: lazyView(() => import('../disk/DiskView').then((m) => m.DiskView)),
  ship: lazyView(() => import('../ship/ShipView').then((m) => m.ShipView)),
  services: lazyView(() => import('../services/ServicesView').then((m) => m.ServicesView)),
};

function Shell() {
  const { status, error } = useEngine();
  const { route, navigate } = useNavigation();
  const [helpOpen, setHelpOpen] = useState(false);
  useShortcuts({
    go: (view) => navigate(view),
    toggleHelp: () => setHelpOpen((open) => !open),
    focusSearch: () => document.querySelector<HTMLElement>('main [data-search]')?.focus(),
  });
  const engineDown = status?.state === 'disconnected' || (status === null && error !== null);
  // A switch of engine remounts the view, so nothing from the previous engine stays on screen (its streams
  // end with it), and drops what named the old engine's objects (a container picked for logs).
  const engineKey = status ? `${status.context}@${status.endpoint}` : '';
  const shownKey = useRef(engineKey);
  useEffect(() => {
    if (!engineKey || shownKey.current === engineKey) return;
    const switched = shownKey.current !== '';
    shownKey.current = engineKey;
    if (switched && Object.keys(route.params).length > 0) navigate(route.view);
  }, [engineKey, route, navigate]);
  const View = VIEW_COMPONENTS[route.view];
  const label = VIEWS.find((v) => v.id === route.view)?.label ?? '';
  return (
    <div className="app">
      <EngineBar />
      <NavBar current={route.view} />
      <main className="view" aria-label={label}>
        {engineDown ? (
          <EngineDownScreen error={status?.error ?? error} endpoint={status?.endpoint} />
        ) : (
          <ViewBoundary key={`${route.view}@${engineKey}`} label={label}>
            <Suspense fallback={<Spinner label={`Loading ${label}`} />}>
              <View key={engineKey} />
            </Suspense>
          </ViewBoundary>
        )}
      </main>
      <button type="button" className="help-button" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
        ?
      </button>
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
    </div>
  );
}

/** The whole dashboard; needs an ApiProvider above it. */
export function App() {
  return (
    <EngineProvider>
      <NavigationProvider>
        <Shell />
      </NavigationProvider>
    </EngineProvider>
  );
}
