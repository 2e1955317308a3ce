/** What other features may use of recording. */
export { mediaSegmentTotals } from './store';
