import type { LoginList, LoginSummary, SecretKeeping } from '../../electron/contract';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { ErrorNotice } from '../ui/ErrorNotice';

/** Where a login comes from, in the user's words. */
export function sourceLabel(login: Pick<LoginSummary, 'source' | 'helper'>): string {
  if (login.source === 'config-file') return 'docker config file';
  if (login.source === 'helper')
    return login.helper ? `helper: docker-credential-${login.helper}` : 'credential helper';
  return 'Berth';
}

/** Where a remembered secret goes, in the user's words. */
export function keepingLabel(keeping: SecretKeeping, helper: string | null): string {
  if (keeping === 'helper') return `through docker-credential-${helper ?? '?'}`;
  if (keeping === 'keychain') return 'encrypted by the OS keychain';
  return 'in memory for this session only';
}

/** The helper config.json sets for a registry (credHelpers, else credsStore), as the backend decides it. */
export function helperForRegistry(list: LoginList | null, registry: string): string | null {
  if (!list) return null;
  return list.credHelpers[registry] ?? list.credsStore;
}

/** The notice web mode shows: nothing Berth remembers survives the session. */
export function MemoryNotice() {
  return (
    <p className="notice memory-notice" role="note">
      Web mode without a keyring: logins and keys you ask Berth to remember stay in memory for this session only, and
      are forgotten when Berth stops. Logins in your docker config file or credential helper are still used.
    </p>
  );
}

interface LoginsProps {
  list: LoginList;
  onPick: (login: LoginSummary) => void;
  onLogout: (registry: string) => void;
}

/** Every login Berth can use, each with its source, and the one a push would use. */
export function Logins({ list, onPick, onLogout }: LoginsProps) {
  return (
    <div className="logins">
      {list.keeping === 'memory' && <MemoryNotice />}
      {list.logins.length > 0 ? (
        <ul className="saved-logins" aria-label="Logins">
          {list.logins.map((login) => (
            <li key={`${login.registry}/${login.source}/${login.username}`} className={login.inUse ? '' : 'muted'}>
              <button type="button" className="link-button" onClick={() => onPick(login)}>
                {login.identityToken ? '(identity token)' : login.username} @ {login.registry}
              </button>{' '}
              <Badge tone={login.source === 'berth' ? 'info' : 'neutral'}>{sourceLabel(login)}</Badge>
              {login.inUse ? (
                login.source !== 'config-file' && (
                  <Button
                    size="small"
                    onClick={() => onLogout(login.registry)}
                    aria-label={`Log out of ${login.registry}`}
                  >
                    Log out
                  </Button>
                )
              ) : (
                <small> (not used: another source wins for this registry)</small>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No logins yet in Berth, {list.configPath} or a credential helper.</p>
      )}
      {list.problems.map((problem) => (
        <ErrorNotice key={problem.message} title="A login source could not be read" error={problem} />
      ))}
    </div>
  );
}
