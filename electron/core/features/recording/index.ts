/** What other features may use of recording: queries of its segments and pre-flight checks. */
export {
  recordedPreflightsOf,
  recordedSegmentsOf,
  type RecordedPreflight,
  type RecordedSegment,
} from './store';
