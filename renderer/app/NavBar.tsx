import { routeHash, VIEWS, type ViewId } from './routes';

export function NavBar({ current }: { current: ViewId }) {
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((view, index) => (
          <li key={view.id}>
            <a
              href={routeHash(view.id)}
              aria-current={view.id === current ? 'page' : undefined}
              aria-keyshortcuts={`g ${view.key} Alt+${index + 1}`}
            >
              {view.label}
              <span className="kbd-hint" aria-hidden="true">
                g {view.key}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
