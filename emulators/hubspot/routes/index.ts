// Every public API route of the emulated portal, most specific first.
import type { Route } from '../router.js';
import { batchRoutes } from './batch.js';
import { objectRoutes } from './objects.js';

export const apiRoutes: Route[] = [...batchRoutes, ...objectRoutes];
