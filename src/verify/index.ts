export {
  runVerify,
  type Difference,
  type RollupNames,
  type VerifyDeps,
  type VerifyOptions,
  type VerifyReport,
} from './run.js';
export { formatReport } from './format.js';
export { listerFor, listAll, type ObjectLister } from './read.js';
export {
  expectedRollup,
  lifecycleOk,
  rateOf,
  toPortal,
  type CurrencyFacts,
  type OppFacts,
} from './expect.js';
