/** What other features may use of recording. */
export { mediaSegmentTotals } from './store';
export {
  recordedPreflightsOf,
  recordedSegmentsOf,
  type RecordedPreflight,
  type RecordedSegment,
} from './store';
