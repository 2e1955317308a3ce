/**
 * What bag-info.txt must say about a sealed session. The labels are ASCII (any BagIt tool
 * reads them); the values are the record's own text, Chinese included. Each label is there
 * because a rule asks for it:
 * - R4.2 files records by name, device number, officer, time, party and cause;
 * - R5.1 notes matter, time, place, method, officers, and how/when/by whom the copy was made
 *   and what it proves;
 * - R4.4 sets the retention class.
 */
import type { BagInfo } from './bagformat';
import { dateIn, isoInZone } from '../../../shared/time';

/** Labels Attest writes; the values of the first group are required for a seal. */
export const LABELS = {
  caseNumber: 'Case-Number',
  caseCause: 'Case-Cause',
  party: 'Party',
  officer: 'Officer',
  deviceNumber: 'Device-Number',
  recordingStart: 'Recording-Start',
  recordingEnd: 'Recording-End',
  place: 'Place',
  recordingMethod: 'Recording-Method',
  madeBy: 'Made-By',
  madeAt: 'Made-At',
  productionMethod: 'Production-Method',
  evidentiaryPurpose: 'Evidentiary-Purpose',
  retentionClass: 'Retention-Class',
  // Optional or written by the sealer itself:
  retentionReason: 'Retention-Reason',
  retainUntil: 'Retain-Until',
  sessionId: 'Session-Identifier',
  sessionKind: 'Session-Kind',
  timeZone: 'Time-Zone',
  sourceOrganization: 'Source-Organization',
  externalDescription: 'External-Description',
  externalIdentifier: 'External-Identifier',
  baggingDate: 'Bagging-Date',
  payloadOxum: 'Payload-Oxum',
  bagSize: 'Bag-Size',
  softwareAgent: 'Bag-Software-Agent',
  eventLog: 'Event-Log',
  eventLogHead: 'Event-Log-Head',
  eventLogChain: 'Event-Log-Chain',
  sealSignature: 'Seal-Signature',
  auditTrailHead: 'Audit-Trail-Head',
  // A party copy (R6.2): what it is a copy of, under which grant, for whom, what is left out.
  copyOf: 'Copy-Of-Bag',
  copyOfTagManifest: 'Copy-Of-Tag-Manifest-SHA512',
  copyNumber: 'Copy-Number',
  copyGrant: 'Copy-Grant',
  copyRecipient: 'Copy-Recipient',
  copyLeftOut: 'Copy-Left-Out',
} as const;

/** Labels a bag must carry before it may be sealed (R4.2, R5.1, R4.4). */
export const REQUIRED_LABELS: readonly string[] = [
  LABELS.caseNumber,
  LABELS.caseCause,
  LABELS.party,
  LABELS.officer,
  LABELS.deviceNumber,
  LABELS.recordingStart,
  LABELS.recordingEnd,
  LABELS.place,
  LABELS.recordingMethod,
  LABELS.madeBy,
  LABELS.madeAt,
  LABELS.productionMethod,
  LABELS.evidentiaryPurpose,
  LABELS.retentionClass,
];

/** Labels the sealer computes; a caller that passes them is overruled (they must be true). */
export const COMPUTED_LABELS: readonly string[] = [
  LABELS.baggingDate,
  LABELS.payloadOxum,
  LABELS.bagSize,
  LABELS.eventLog,
  LABELS.eventLogHead,
  LABELS.eventLogChain,
  LABELS.sealSignature,
];

/**
 * Retention classes (R4.4): `standard` keeps the record as long as its case file (3 years
 * for case files, at least 1 year for A/V); `long-term` applies when the party disputes or
 * complains, obstructs or assaults officers, or in mass or sudden incidents.
 */
export type RetentionClass = 'standard' | 'long-term';

export interface OfficerInfo {
  name: string;
  certificateNo: string;
}

/** The structured facts of a sealed session, as the sessions service knows them. */
export interface SessionRecordInfo {
  caseNumber: string;
  caseCause: string;
  parties: readonly string[];
  officers: readonly OfficerInfo[];
  deviceNumbers: readonly string[];
  /** Start and end of the recording (UTC ms); documents take their times from these (R2.4). */
  recordingStart: number;
  recordingEnd: number;
  place: string;
  /** e.g. "固定式音像监控 fixed A/V monitoring, 3 cameras + program" (R5.1 method). */
  recordingMethod: string;
  /** Who made the sealed copy (R5.1). */
  madeBy: string;
  /** When the sealed copy was made (UTC ms). */
  madeAt: number;
  /** How it was made, e.g. "Attest 0.1.0 workstation ROOM-2, sealed BagIt bag" (R5.1). */
  productionMethod: string;
  /** What it proves (证明对象, R5.1). */
  evidentiaryPurpose: string;
  retention: { class: RetentionClass; reason?: string; retainUntil?: number };
  sessionId?: string;
  sessionKind?: string;
  sourceOrganization?: string;
  /**
   * The workstation's audit trail when sealed (its last entry's number and hash): a copy of
   * the head outside the workstation, so the trail cannot later be rewritten before it.
   */
  auditTrailHead?: { seq: number; hash: string };
  description?: string;
  /** IANA zone the times are shown in (the agency's, as the session recorded it). */
  timeZone: string;
}

/** Turns the structured record into bag-info elements, in a stable, readable order. */
export function buildBagInfo(r: SessionRecordInfo): BagInfo {
  const tz = r.timeZone;
  const info: Record<string, string | string[]> = {};
  if (r.sourceOrganization) info[LABELS.sourceOrganization] = r.sourceOrganization;
  if (r.auditTrailHead)
    info[LABELS.auditTrailHead] = `#${r.auditTrailHead.seq} ${r.auditTrailHead.hash}`;
  info[LABELS.externalIdentifier] = r.sessionId ? `${r.caseNumber} / ${r.sessionId}` : r.caseNumber;
  if (r.description) info[LABELS.externalDescription] = r.description;
  info[LABELS.caseNumber] = r.caseNumber;
  info[LABELS.caseCause] = r.caseCause;
  info[LABELS.party] = [...r.parties];
  info[LABELS.officer] = r.officers.map((o) => `${o.name}（执法证号 ${o.certificateNo}）`);
  info[LABELS.deviceNumber] = [...r.deviceNumbers];
  if (r.sessionId) info[LABELS.sessionId] = r.sessionId;
  if (r.sessionKind) info[LABELS.sessionKind] = r.sessionKind;
  info[LABELS.recordingStart] = isoInZone(r.recordingStart, tz);
  info[LABELS.recordingEnd] = isoInZone(r.recordingEnd, tz);
  info[LABELS.timeZone] = tz;
  info[LABELS.place] = r.place;
  info[LABELS.recordingMethod] = r.recordingMethod;
  info[LABELS.madeBy] = r.madeBy;
  info[LABELS.madeAt] = isoInZone(r.madeAt, tz);
  info[LABELS.productionMethod] = r.productionMethod;
  info[LABELS.evidentiaryPurpose] = r.evidentiaryPurpose;
  info[LABELS.retentionClass] = r.retention.class;
  if (r.retention.reason) info[LABELS.retentionReason] = r.retention.reason;
  if (r.retention.retainUntil !== undefined) {
    info[LABELS.retainUntil] = dateIn(r.retention.retainUntil, tz);
  }
  return info;
}

/**
 * Required labels that are missing or blank in `info` (case-insensitive, like the parser),
 * plus Retention-Reason when the class is long-term.
 */
export function missingRequiredLabels(info: BagInfo): string[] {
  const present = new Map<string, boolean>();
  for (const [label, value] of Object.entries(info)) {
    const values = typeof value === 'string' ? [value] : value;
    present.set(
      label.toLowerCase(),
      values.some((v) => v.trim() !== ''),
    );
  }
  const missing = REQUIRED_LABELS.filter((l) => !present.get(l.toLowerCase()));
  // Long-term retention is an exception the rules tie to reasons (R4.4): say which.
  const cls = Object.entries(info).find(
    ([l]) => l.toLowerCase() === LABELS.retentionClass.toLowerCase(),
  )?.[1];
  if (cls === 'long-term' && !present.get(LABELS.retentionReason.toLowerCase())) {
    missing.push(LABELS.retentionReason);
  }
  return missing;
}
