/** What other features may use of sessions: the lifecycle and the service's queries. */
export {
  appendSessionEvent,
  canMove,
  lastSessionEvent,
  markEnded,
  markInterrupted,
  markResumed,
  markSealed,
  markStarted,
  recordMediaOffsets,
  type SessionEventInput,
  type SessionEventKind,
} from './lifecycle';
export { SessionsService } from './service';
export { sessionsOfCase, officerIdsOfSession, type CaseSessionRow } from './store';
export { sessionKindOf, sessionMediaOffsets, sessionTimeline, type TimelineEntry } from './store';
