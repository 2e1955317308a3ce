/**
 * Which domain enum each `enums.*` section of the resources labels. The i18n test walks this
 * map to prove every value the core can return has a label in every language.
 */
import {
  AGENT_AUTHORITIES,
  APPROVAL_DECISIONS,
  APPROVAL_ROLES,
  DEVICE_KINDS,
  GENDERS,
  ID_TYPES,
  MATTER_KINDS,
  OFFICER_SESSION_ROLES,
  ORIGIN_KINDS,
  PARTICIPANT_ROLES,
  PARTY_KINDS,
  PHASES,
  SESSION_KINDS,
  SESSION_STATUSES,
  USER_ROLES,
} from '@shared/domain';
import { MARKER_KINDS, SPEAKERS } from '@shared/rules/transcript';
import { SEGMENT_KINDS, SOURCE_ROLES } from '@shared/api/recording';
import {
  ACCESS_MODES,
  CLASSIFICATION_LEVELS,
  COPY_DECISIONS,
  COPY_REQUESTER_ROLES,
  GRANT_STATES,
} from '@shared/api/access';
import { APPROVAL_FORM_KINDS, APPROVAL_STEPS } from '@shared/rules/approval-form';
import { SERVICE_METHODS } from '@shared/rules/service';
import { LONG_TERM_GROUNDS, RETENTION_ORDER } from '@shared/rules/retention';
import { EXECUTION_RESULTS } from '@shared/api/documents';
import { INTAKE_KINDS } from '@shared/api/initiation';
import { INCIDENT_KINDS } from '@shared/api/filing';
import { GUIDE_STEPS } from '@shared/api/guide';
import { STAT_METRICS, STAT_PARTS } from '@shared/rules/statistics';
import type { Messages } from './strings';

export const ENUM_SECTIONS = {
  phase: PHASES,
  matterKind: MATTER_KINDS,
  originKind: ORIGIN_KINDS,
  sessionKind: SESSION_KINDS,
  sessionStatus: SESSION_STATUSES,
  participantRole: PARTICIPANT_ROLES,
  agentAuthority: AGENT_AUTHORITIES,
  officerSessionRole: OFFICER_SESSION_ROLES,
  approvalRole: APPROVAL_ROLES,
  approvalDecision: APPROVAL_DECISIONS,
  partyKind: PARTY_KINDS,
  gender: GENDERS,
  idType: ID_TYPES,
  userRole: USER_ROLES,
  sourceRole: SOURCE_ROLES,
  sourceKind: SEGMENT_KINDS,
  deviceKind: DEVICE_KINDS,
  speaker: SPEAKERS,
  markerKind: MARKER_KINDS,
  accessMode: ACCESS_MODES,
  grantState: GRANT_STATES,
  classification: CLASSIFICATION_LEVELS,
  copyDecision: COPY_DECISIONS,
  copyRequesterRole: COPY_REQUESTER_ROLES,
  teamBasis: ['case_officer', 'session_officer', 'clerk'],
  approvalStep: APPROVAL_STEPS,
  approvalFormKind: APPROVAL_FORM_KINDS,
  serviceMethod: SERVICE_METHODS,
  executionResult: EXECUTION_RESULTS,
  intakeKind: INTAKE_KINDS,
  incidentKind: INCIDENT_KINDS,
  retentionClass: RETENTION_ORDER,
  longTermGround: LONG_TERM_GROUNDS,
  guideStep: GUIDE_STEPS,
  statMetric: STAT_METRICS,
  statPart: STAT_PARTS,
} as const satisfies Record<keyof Messages['enums'], readonly string[]>;

export type EnumSection = keyof typeof ENUM_SECTIONS;
export type EnumValue<S extends EnumSection> = (typeof ENUM_SECTIONS)[S][number];
