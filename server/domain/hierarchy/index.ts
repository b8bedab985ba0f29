/**
 * Package hierarchy (issue 5, DOMAIN.md §3): the aggregation rules as pure functions over a view
 * the caller implements, and the 码上放心 relation file formats. No database, no I/O beyond the
 * streams handed in.
 */
export { PACK_LEVELS, isPackLevel, type PackLevel, type PackNode, type HierarchyView } from './types.js';
export { parsePackageRatio, childCapacity, unitsPerPack, type PackageRatio, type RatioResult } from './ratio.js';
export {
  HIERARCHY_REASONS,
  hierarchyMessage,
  isHierarchyReason,
  type HierarchyReason,
  type HierarchyWarning,
  type ReasonFacts,
} from './reasons.js';
export {
  checkPack,
  checkUnpack,
  fillOf,
  ancestry,
  type PackCheck,
  type PackRejection,
  type PackWarning,
  type PartialFill,
  type UnpackCheck,
} from './check.js';
export { MemoryHierarchy } from './memory-view.js';
