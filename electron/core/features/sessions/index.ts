/** What other features may use of sessions: the lifecycle, the service and its queries. */
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
  sessionEvents,
  type SessionEventInput,
  type SessionEventKind,
  type SessionEventRecord,
} from './lifecycle';
export { SessionsService, type RecordingStop } from './service';
export {
  endedSessionsNamingParty,
  officerIdsOfSession,
  sessionCountOfCase,
  sessionHead,
  sessionIdsInStatus,
  sessionOfficersOfCase,
  sessionsOfCase,
  storedMediaOffsets,
  type CaseSessionRow,
  type SessionHead,
} from './store';
export * from './stats';
