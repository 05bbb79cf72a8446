/**
 * For each build arg whose name looks secret: "pass as a BuildKit secret". A secret never lands in the image
 * history (a build arg does), but the Dockerfile must read it with RUN --mount=type=secret,id=NAME.
 */
interface SecretArgChoicesProps {
  /** Names of the build args that look like secrets and have a value. */
  names: readonly string[];
  asSecret: ReadonlySet<string>;
  onChange: (asSecret: Set<string>) => void;
  /** Why secrets cannot be passed (an engine without BuildKit, or the legacy builder chosen): choices disabled. */
  unavailable?: string | null;
}

export function SecretArgChoices({ names, asSecret, onChange, unavailable = null }: SecretArgChoicesProps) {
  if (names.length === 0) return null;
  const toggle = (name: string, on: boolean) => {
    const next = new Set(asSecret);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  return (
    <fieldset className="secret-arg-choices">
      <legend>Secret-looking build args</legend>
      {names.map((name) => (
        <label key={name}>
          <input
            type="checkbox"
            checked={unavailable === null && asSecret.has(name)}
            disabled={unavailable !== null}
            title={unavailable ?? undefined}
            onChange={(e) => toggle(name, e.target.checked)}
          />{' '}
          Pass {name} as a BuildKit secret
        </label>
      ))}
      {unavailable && (
        <p className="hint" data-testid="secrets-unavailable">
          {unavailable}
        </p>
      )}
      <p className="hint">
        A BuildKit secret stays out of the image history. The Dockerfile must read it with{' '}
        <code>RUN --mount=type=secret,id=NAME</code> (the file /run/secrets/NAME), not with ARG; the legacy builder
        cannot take secrets. BuildKit does not rebuild a step when only the secret changes: build without the cache
        then.
      </p>
    </fieldset>
  );
}

/** The request's build args and secrets: the args chosen as secrets move out of the build args (no secrets: none sent). */
export function splitSecretArgs(
  buildArgs: Record<string, string>,
  asSecret: ReadonlySet<string>,
): { buildArgs: Record<string, string>; secrets?: { id: string; value: string }[] } {
  const secret = (name: string) => asSecret.has(name) && buildArgs[name] !== '';
  const secrets = Object.entries(buildArgs)
    .filter(([name]) => secret(name))
    .map(([id, value]) => ({ id, value }));
  return {
    buildArgs: Object.fromEntries(Object.entries(buildArgs).filter(([name]) => !secret(name))),
    ...(secrets.length > 0 && { secrets }),
  };
}
