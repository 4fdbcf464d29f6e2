// What the engine's commands share: the runtime they open (config → store → adapters → engine),
// duration parsing for --interval, and one way to turn an error into an exit code.
import { InvalidArgumentError } from 'commander';
import { openRuntime, type Runtime } from '../../composition/runtime.js';
import { reportFatal } from '../output.js';

/** `5s`, `500ms`, `2m`, `1h` or a plain number of seconds → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a duration like 5s, 500ms, 2m or 1h');
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = n * { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  if (ms <= 0) throw new InvalidArgumentError('must be more than 0');
  return ms;
}

/**
 * Opens the runtime, runs fn, closes the runtime; an error becomes an exit code (a configuration
 * error 2, a remote refusal 3, …, from the error catalogue).
 */
export async function withRuntime(fn: (rt: Runtime) => Promise<number | void>): Promise<void> {
  let rt: Runtime | undefined;
  try {
    rt = await openRuntime();
    const code = await fn(rt);
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    process.exitCode = reportFatal(err);
  } finally {
    await rt?.close();
  }
}
