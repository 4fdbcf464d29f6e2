// A labelled progress bar: the visual bar is decoration; the role=progressbar element carries the
// value, and a separate polite live region announces it in 10 % steps (not on every update).
export function ProgressBar({ label, value, max }: { label: string; value: number; max: number | null }) {
  const pct = max && max > 0 ? Math.min(100, Math.floor((value / max) * 100)) : null;
  const step = pct === null ? null : pct === 100 ? 100 : Math.floor(pct / 10) * 10;
  return (
    <div className="progress">
      <div
        className="bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct !== null ? { 'aria-valuenow': pct, 'aria-valuetext': `${pct} %` } : {})}
      >
        <div className="fill" style={{ width: `${pct ?? 0}%` }} />
      </div>
      <span className="pct" data-testid="progress-percent">
        {pct === null ? '…' : `${pct} %`}
      </span>
      <span className="sr-only" aria-live="polite">
        {step === null ? '' : `${label}: ${step} %`}
      </span>
    </div>
  );
}
