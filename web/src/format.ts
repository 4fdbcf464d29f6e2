export const num = (n: number): string => n.toLocaleString('en-US');

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Today: the time is enough.
  if (d.toDateString() === new Date().toDateString())
    return d.toLocaleTimeString('en-GB', { timeStyle: 'medium' });
  return d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A written value: null is "—", an empty string is shown as such. */
export function shown(v: string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v === '' ? '(empty)' : v;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
