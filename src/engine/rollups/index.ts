export {
  computeRollups,
  defaultRollupPropertyNames,
  rollupProperties,
  type AmountConverter,
  type RecentDealAmountRule,
  type RollupPropertyNames,
  type RollupValues,
} from './compute.js';
export { lifecycleOrder, nextLifecycleStage } from './lifecycle.js';
