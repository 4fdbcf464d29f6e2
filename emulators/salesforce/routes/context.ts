// What a REST handler gets: the emulator state, the parsed request, the API version and the
// authenticated user.
import type { IncomingMessage } from 'node:http';
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';

export interface Ctx {
  state: EmulatorState;
  req: IncomingMessage;
  url: URL;
  /** API version without the `v`, e.g. `62.0`. */
  version: string;
  userId: string;
  body(): Promise<unknown>;
}

export interface Route {
  /** Stable route name for stats and faults, e.g. `sobject.update`. */
  name: string;
  run(ctx: Ctx): Reply | Promise<Reply>;
}
