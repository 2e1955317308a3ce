/**
 * The core's handler table: every feature's handlers, combined. Its type makes a missing
 * handler a compile error.
 */
import type { MethodName } from '../../shared/api';
import { accessHandlers } from './access/api';
import { approvalsHandlers } from './approvals/api';
import { documentsHandlers } from './documents/api';
import { filingHandlers } from './filing/api';
import { complianceHandlers } from './compliance/api';
import { guideHandlers } from './guide/api';
import { statisticsHandlers } from './statistics/api';
import { liveHandlers } from './live/api';
import { initiationHandlers } from './initiation/api';
import { appHandlers } from './app/api';
import { auditHandlers } from './audit/api';
import { casesHandlers } from './cases/api';
import { discsHandlers } from './discs/api';
import type { Handler } from './handler';
import { recordingHandlers } from './recording/api';
import { registersHandlers } from './registers/api';
import { hearingsHandlers } from './hearings/api';
import { sealingHandlers } from './sealing/api';
import { sessionsHandlers } from './sessions/api';
import { signingHandlers } from './signing/api';
import { storageHandlers } from './storage/api';
import { transcriptHandlers } from './transcript/api';
import { trustHandlers } from './trust/api';
import { usersHandlers } from './users/api';

export type { ConnectionState, Handler } from './handler';

export const handlers: { [M in MethodName]: Handler<M> } = {
  ...appHandlers,
  ...usersHandlers,
  ...registersHandlers,
  ...hearingsHandlers,
  ...casesHandlers,
  ...sessionsHandlers,
  ...recordingHandlers,
  ...transcriptHandlers,
  ...signingHandlers,
  ...sealingHandlers,
  ...storageHandlers,
  ...discsHandlers,
  ...auditHandlers,
  ...trustHandlers,
  ...accessHandlers,
  ...initiationHandlers,
  ...approvalsHandlers,
  ...documentsHandlers,
  ...filingHandlers,
  ...complianceHandlers,
  ...guideHandlers,
  ...statisticsHandlers,
  ...liveHandlers,
};
