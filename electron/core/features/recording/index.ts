/** What the rest of the core may use of recording: the service and its tunables. */
export { RecordingService } from './service';
export {
  DEFAULT_MEDIA_OPTIONS,
  MIN_SEGMENT_SECONDS,
  parseSegmentSeconds,
  type MediaOptions,
  type MediaRefusal,
} from './options';
export { mediaSegmentTotals } from './store';
export {
  recordedPreflightsOf,
  recordedSegmentsOf,
  type RecordedPreflight,
  type RecordedSegment,
} from './store';
