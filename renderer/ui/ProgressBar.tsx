export interface ProgressBarProps {
  value: number;
  max: number;
  label: string;
  tone?: 'normal' | 'done' | 'muted' | 'bad';
}

/** A progress bar drawn with a CSS custom property (CSP-safe: no style attribute strings). */
export function ProgressBar({ value, max, label, tone = 'normal' }: ProgressBarProps) {
  const fraction = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="progress-fill" style={{ '--fraction': fraction } as React.CSSProperties} />
    </div>
  );
}
