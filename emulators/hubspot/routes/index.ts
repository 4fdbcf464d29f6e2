// Every public API route of the emulated portal, most specific first.
import type { Route } from '../router.js';
import { associationRoutes } from './associations.js';
import { batchRoutes } from './batch.js';
import { objectRoutes } from './objects.js';
import { pipelineRoutes } from './pipelines.js';
import { propertyRoutes } from './properties.js';
import { searchRoutes } from './search.js';
import { settingsRoutes } from './settings.js';

export const apiRoutes: Route[] = [
  ...searchRoutes,
  ...batchRoutes,
  ...objectRoutes,
  ...propertyRoutes,
  ...pipelineRoutes,
  ...settingsRoutes,
  ...associationRoutes,
];
