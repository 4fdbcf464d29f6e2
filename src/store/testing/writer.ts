// A separate process writing to a store, for the multi-process concurrency test:
// `node --import tsx writer.ts URL WORKER COUNT [START_AT_MS]`: opens the store at START_AT_MS
// (so that several processes race), then writes. Prints "done" when all its transactions committed.
import { openStore } from '../index.js';
import { writeLoad } from './write-load.js';

const [url, worker, count, startAt] = process.argv.slice(2);
if (url === undefined || worker === undefined || count === undefined)
  throw new Error('usage: URL WORKER COUNT');
if (startAt !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const store = await openStore(url);
await writeLoad(store, worker, Number(count));
await store.close();
process.stdout.write('done\n');
