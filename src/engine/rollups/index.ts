export {
  computeRollups,
  defaultRollupPropertyNames,
  rollupProperties,
  type AmountConverter,
  type RecentDealAmountRule,
  type RollupPropertyNames,
  type RollupValues,
} from './rollups.js';
export { lifecycleOrder, nextLifecycleStage } from './lifecycle.js';
