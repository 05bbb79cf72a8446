import type { ReactNode } from 'react';
import type { ErrorShape } from '../../electron/contract';

/** An error as the backend raised it: code, message and the fix. */
export function ErrorNotice({ error, title, action }: { error: ErrorShape; title?: string; action?: ReactNode }) {
  return (
    <div className="error-notice" role="alert">
      <div className="error-head">
        {title && <strong>{title} </strong>}
        <code className="error-code">{error.code}</code>
      </div>
      <p className="error-message">{error.message}</p>
      {error.fix && (
        <p className="error-fix">
          <strong>Fix: </strong>
          {error.fix}
        </p>
      )}
      {action}
    </div>
  );
}
