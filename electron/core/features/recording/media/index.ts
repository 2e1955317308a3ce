/**
 * The media sink's file side: fragmented-MP4 box parsing, reassembly of whole fragments from
 * arbitrary chunks, segment files written one fragment per write and hashed as written,
 * crash recovery by scanning, and the disk-space port. The database side (journal, timeline,
 * contract) is the rest of features/recording (store.ts, segments.ts, ...).
 */
export {
  FragmentAssembler,
  DEFAULT_MAX_UNIT_BYTES,
  type AppendResult,
} from '../../../platform/media/assembler';
export {
  readBoxHeader,
  parseMoov,
  parseMoofTiming,
  UnitTracker,
  type Unit,
  type UnitKind,
  type TrackInfo,
} from '../../../platform/media/boxes';
export { SegmentFile, type WrittenUnit, type WriteStats } from './segment-file';
export { recoverSegmentFile, scanSegment, type RecoveredFile, type ScanResult } from './recover';
export {
  DiskThresholds,
  statfsDiskSpace,
  DEFAULT_FLOOR_BYTES,
  DEFAULT_WARN_BYTES,
  GiB,
  type DiskSpace,
  type DiskSpaceInfo,
} from './disk';
