// How commands print: human text on a terminal, one JSON document (or JSON lines) with --json.

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Prints an unexpected error once, without a stack unless DEALBRIDGE_DEBUG is set; returns the exit code. */
export function reportFatal(err: unknown): number {
  const e = err as { code?: unknown; message?: unknown; exitCode?: unknown };
  const code = typeof e.code === 'string' ? `${e.code}: ` : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  process.stderr.write(`dealbridge: ${code}${message}\n`);
  if (process.env.DEALBRIDGE_DEBUG && err instanceof Error && err.stack)
    process.stderr.write(err.stack + '\n');
  return typeof e.exitCode === 'number' ? e.exitCode : 1;
}
