import type { Command } from 'commander';
import { registerEmulator } from './emulator.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: Array<(program: Command) => void> = [registerEmulator];
