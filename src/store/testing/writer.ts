// A separate process writing to a store, for the multi-process concurrency test:
// `node --import tsx writer.ts URL WORKER COUNT`. Prints "done" when all its transactions committed.
import { openStore } from '../index.js';
import { writeLoad } from './write-load.js';

const [url, worker, count] = process.argv.slice(2);
if (url === undefined || worker === undefined || count === undefined)
  throw new Error('usage: URL WORKER COUNT');
const store = await openStore(url);
await writeLoad(store, worker, Number(count));
await store.close();
process.stdout.write('done\n');
