// `dealbridge pause [--json]` and `dealbridge resume [--json]`: the safety switch of issue #17. It
// is a flag in the state store, so it reaches every process on that store at once: a `sync` or
// `serve` loop elsewhere keeps running its passes, which write nothing until the resume (a pass in
// flight stops before its next batch), and an import stops before its next batch, left paused.
import type { Command } from 'commander';
import { setPaused, type PauseState } from '../../engine/pause.js';
import { printJson } from '../output.js';
import { withRuntime } from './shared.js';

function flip(
  paused: boolean,
  opts: { json?: boolean },
  say: (s: PauseState & { changed: boolean }) => string,
) {
  return withRuntime(async (rt) => {
    const state = await setPaused(rt.store, paused, new Date());
    if (opts.json) printJson(state);
    else process.stdout.write(say(state) + '\n');
    return 0;
  });
}

export function registerPause(program: Command): void {
  program
    .command('pause')
    .description(
      "Stop every write to HubSpot at once (sync passes, import, resync) without losing the change feeds' place; `dealbridge resume` goes on",
    )
    .option('--json', 'print the state as JSON ({"paused","since","changed"})')
    .action(async (opts: { json?: boolean }) => {
      await flip(true, opts, (s) =>
        s.changed
          ? 'Sync paused: a pass in flight stops before its next batch and nothing is written to HubSpot until `dealbridge resume`; the change feeds keep their place.'
          : `Sync already paused (since ${s.since ?? '?'}).`,
      );
    });
}

export function registerResume(program: Command): void {
  program
    .command('resume')
    .description('End a pause: the next sync pass syncs what changed meanwhile (a running loop picks it up)')
    .option('--json', 'print the state as JSON ({"paused","since","changed"})')
    .action(async (opts: { json?: boolean }) => {
      await flip(false, opts, (s) =>
        s.changed
          ? 'Sync resumed: the next pass syncs what changed meanwhile; a paused import goes on with `dealbridge import`.'
          : 'Sync was not paused.',
      );
    });
}
