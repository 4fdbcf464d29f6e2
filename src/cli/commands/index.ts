import type { Command } from 'commander';
import { registerConnect } from './connect.js';
import { registerConnections } from './connections.js';
import { registerDoctor } from './doctor.js';
import { registerEmulator } from './emulator.js';
import { registerErrors } from './errors.js';
import { registerImport } from './import.js';
import { registerMappings } from './mappings.js';
import { registerPause, registerResume } from './pause.js';
import { registerSandbox } from './sandbox.js';
import { registerServe } from './serve.js';
import { registerSecrets } from './secrets.js';
import { registerSettings } from './settings.js';
import { registerSetup } from './setup.js';
import { registerStatus } from './status.js';
import { registerSync } from './sync.js';
import { registerVerify } from './verify.js';
import { registerWorker } from './worker.js';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: Array<(program: Command) => void> = [
  registerSandbox,
  registerEmulator,
  registerConnect,
  registerConnections,
  registerSetup,
  registerSettings,
  registerMappings,
  registerSync,
  registerPause,
  registerResume,
  registerServe,
  registerWorker,
  registerImport,
  registerStatus,
  registerErrors,
  registerVerify,
  registerDoctor,
  registerSecrets,
];
