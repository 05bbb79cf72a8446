export const VIEWS = [
  { id: 'build', label: 'Build', key: 'b' },
  { id: 'images', label: 'Images', key: 'i' },
  { id: 'containers', label: 'Containers', key: 'c' },
  { id: 'logs', label: 'Logs', key: 'l' },
  { id: 'ship', label: 'Ship', key: 's' },
  { id: 'disk', label: 'Disk', key: 'd' },
  { id: 'services', label: 'Services', key: 'v' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export interface Route {
  view: ViewId;
  params: Record<string, string>;
}

/** `#/logs?container=abc` → { view: 'logs', params: { container: 'abc' } }; anything else → build. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const view = VIEWS.find((v) => v.id === path)?.id ?? 'build';
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function routeHash(view: ViewId, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}
