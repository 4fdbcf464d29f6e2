// The connector under test as the user runs it: `node bin/dealbridge.js <command>` with the
// environment pointing at the emulators and the state store. The sync loop is one long-lived child
// that the soak kills (SIGKILL) and starts again; its JSON lines (`sync --json`) are collected for
// the error codes it saw. Exits the soak did not cause are counted: a connector that gives up by
// itself under faults misses a goal.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/dealbridge.js', import.meta.url));

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs one CLI command to its end (never blocks this process: the driver keeps running). */
export function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

export class SyncProcess {
  private child: ChildProcess | undefined;
  private expectingExit = false;
  starts = 0;
  kills = 0;
  /** Exits the soak did not cause (code, last stderr). */
  readonly unexpectedExits: { code: number | null; signal: string | null; stderr: string }[] = [];
  /** Error codes from the loop's JSON lines and pass failures, with how often each was seen. */
  readonly errorCodes = new Map<string, number>();
  passes = 0;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(process.execPath, [BIN, 'sync', '--json'], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.expectingExit = false;
    let buf = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.line(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      if (this.child === child) this.child = undefined;
      if (!this.expectingExit) {
        this.unexpectedExits.push({ code, signal, stderr });
        // Keep the soak going (and counting): a real deployment's supervisor restarts it too.
        setTimeout(() => this.start(), 1000).unref();
      }
    });
  }

  private line(text: string): void {
    let j: { error?: string; failed?: number; ran?: boolean };
    try {
      j = JSON.parse(text) as typeof j;
    } catch {
      return;
    }
    if (j.error) this.errorCodes.set(j.error, (this.errorCodes.get(j.error) ?? 0) + 1);
    if (j.ran !== undefined) this.passes++;
  }

  /** SIGKILL, as a crash, an OOM kill or a pulled plug would end it. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  /** Freezes the process for `fn` (a crash-consistent snapshot: it stops at an arbitrary instant). */
  async frozen<T>(fn: () => Promise<T>): Promise<T> {
    const child = this.child;
    if (child) child.kill('SIGSTOP');
    try {
      return await fn();
    } finally {
      if (child) child.kill('SIGCONT');
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
