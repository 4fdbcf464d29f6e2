// The benches' plain-text tables: fixed-width cells, goals marked ok / MISSED.
export const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
export const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

export function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 10)).join('  ');
}

export function status(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'ok' : 'MISSED';
}
