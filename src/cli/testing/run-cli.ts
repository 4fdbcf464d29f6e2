// The real `dealbridge` binary as CLI tests run it: a child process with the given environment and
// working folder, its exit code and everything it printed.
import { spawn } from 'node:child_process';

export const DEALBRIDGE_BIN = new URL('../../../bin/dealbridge.js', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DEALBRIDGE_BIN, ...args], { env, cwd });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}
