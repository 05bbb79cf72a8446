/** The registry a reference points at: `127.0.0.1:5000/notas-iv` → 127.0.0.1:5000, `user/app` → docker.io. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasHost =
    ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  return hasHost ? first : 'docker.io';
}

/** Default destination for a local tag on a registry: `notas-iv:latest` on 127.0.0.1:5000 → 127.0.0.1:5000/notas-iv:latest. */
export function defaultTarget(source: string, registry: string): string {
  const withoutHost = registryOf(source) === 'docker.io' ? source : source.slice(source.indexOf('/') + 1);
  const name = withoutHost.includes('@') ? withoutHost.slice(0, withoutHost.indexOf('@')) : withoutHost;
  return registry === 'docker.io' ? name : `${registry}/${name}`;
}
