/** What other features may use of the transcript. */
export type { TranscriptsService } from './service';
