// The log lines of sync passes, alike in `serve`'s loop and in `sync --interval` (when it logs):
// every pass gets a pass id (a UUID) that its summary line and the error that ended it carry.
import { randomUUID } from 'node:crypto';
import type { PassResult } from '../engine/sync/pass.js';

/** What the pass lines need of a logger (pino's and Fastify's both are). */
export interface PassLogger {
  child(bindings: Record<string, unknown>): PassLogger;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A logger for the pass about to start: its lines carry `passId`. */
export function passLogger<L extends PassLogger>(log: L): L {
  return log.child({ passId: randomUUID() }) as L;
}

/**
 * One line per pass that did something or was paused (info), and a debug line for a pass that
 * found nothing: a loop every 5 s would otherwise write 17,000 lines a day that say nothing.
 */
export function logPass(log: PassLogger, r: PassResult): void {
  const { created, updated, unchanged, skipped, failed, archived } = r;
  const durationSeconds = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  const fields = { event: 'sync', created, updated, unchanged, skipped, failed, archived, durationSeconds };
  if (created + updated + failed + archived > 0 || r.paused) log.info(fields, 'sync pass finished');
  else log.debug(fields, 'sync pass finished');
}
