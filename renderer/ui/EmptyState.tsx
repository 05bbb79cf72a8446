import type { ReactNode } from 'react';

/** What is missing and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </section>
  );
}
