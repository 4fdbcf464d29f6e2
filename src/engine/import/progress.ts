// Progress of an import as numbers (for --json and the web UI) and as one terminal line.
export interface ImportProgress {
  runId: string;
  phase: 'deals' | 'rollups' | 'done' | 'paused' | 'failed';
  processed: number;
  /** Opportunities in the org (null when the adapter cannot count them). */
  total: number | null;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  elapsedMs: number;
  /** Opportunities per second over this process's run (a resumed run starts from its checkpoint). */
  ratePerSecond: number;
  etaSeconds: number | null;
}

export function rateAndEta(
  processedNow: number,
  processedAtStart: number,
  elapsedMs: number,
  total: number | null,
): { ratePerSecond: number; etaSeconds: number | null } {
  const done = processedNow - processedAtStart;
  const ratePerSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  if (total === null || ratePerSecond <= 0) return { ratePerSecond, etaSeconds: null };
  return { ratePerSecond, etaSeconds: Math.max(0, (total - processedNow) / ratePerSecond) };
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `[#######.....]  41% 4,100/10,000 · 120 new 3 upd 9 same 2 skip 0 err · 512/s · ETA 11s` */
export function progressLine(p: ImportProgress, width = 24): string {
  const n = (x: number) => x.toLocaleString('en-US');
  let head: string;
  if (p.total && p.total > 0) {
    const share = Math.min(1, p.processed / p.total);
    const filled = Math.round(share * width);
    head = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${n(p.processed)}/${n(p.total)}`;
  } else head = `${n(p.processed)} opportunities`;
  const counts = `${n(p.created)} new ${n(p.updated)} upd ${n(p.unchanged)} same ${n(p.skipped)} skip ${n(p.failed)} err`;
  const rate = `${Math.round(p.ratePerSecond)}/s`;
  const eta =
    p.phase === 'rollups'
      ? 'writing rollups…'
      : p.etaSeconds === null
        ? ''
        : `ETA ${formatDuration(p.etaSeconds)}`;
  return [head, counts, rate, eta].filter(Boolean).join(' · ');
}
