import type { NamespaceCheck } from '../../electron/contract';
import { Button } from '../ui/Button';

interface NamespaceNoticeProps {
  check: NamespaceCheck;
  pushAnyway: boolean;
  onPushAnyway: (value: boolean) => void;
  onRetag: (target: string) => void;
}

/**
 * The namespace check before a push: fine, not checkable (and why), or not the user's, with a retag to the
 * user's own namespace and, for a namespace that may be an organisation, a deliberate "push anyway".
 */
export function NamespaceNotice({ check, pushAnyway, onPushAnyway, onRetag }: NamespaceNoticeProps) {
  if (check.verdict === 'yours') return <p className="muted namespace-ok">{check.message}</p>;
  if (check.verdict === 'unchecked') return <p className="muted namespace-unchecked">{check.message}</p>;
  return (
    <div className="notice namespace-warning" role="alert" aria-label="Namespace check">
      <p>{check.message}</p>
      <div className="toolbar">
        {check.retag && (
          <Button size="small" variant="primary" onClick={() => check.retag && onRetag(check.retag)}>
            Retag as {check.retag}
          </Button>
        )}
        <label>
          <input type="checkbox" checked={pushAnyway} onChange={(e) => onPushAnyway(e.target.checked)} /> Push anyway
          {check.verdict === 'not-yours' ? ` ("${check.namespace}" is an organisation I may push to)` : ''}
        </label>
      </div>
    </div>
  );
}
