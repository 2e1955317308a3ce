/**
 * Step 3: the bag-info of a session's bag (R4.2, R5.1, R4.4): the case, the party, the
 * officers, the devices, the times, the place, how it was recorded, who made the bag, when
 * and how, what it proves and how long it is kept.
 */
import { hostname } from 'node:os';
import type { OfficerDto } from '../../../shared/domain';
import type { BagInfo } from '../../platform/bagit/bagformat';
import { buildBagInfo, type SessionRecordInfo } from '../../platform/bagit/baginfo';
import type { SealMeta, SessionRecord } from './record';
import { KIND_ZH } from './rules';

/** The recording method as bag-info states it: fixed or on-site, the sources, the format. */
function recordingMethod(r: SessionRecord): string {
  const written = r.segments.filter((s) => s.state !== 'open' && s.bytes > 0);
  const distinct = (kind: string) =>
    new Set(written.filter((s) => s.kind === kind).map((s) => s.sourceId)).size;
  const codecs = [...new Set(written.map((s) => s.codec))].join(', ');
  const fixed =
    r.session.kind === 'inspection'
      ? '现场音像记录 on-site A/V recording'
      : '固定式音像监控 fixed A/V monitoring (R3.2)';
  return (
    `${fixed}: ${distinct('camera')} camera(s), ${distinct('microphone')} microphone(s)` +
    (written.some((s) => s.kind === 'program')
      ? ', program (picture-in-picture, time and case caption)'
      : '') +
    `; fragmented MP4 (${codecs}), written and hashed as recorded`
  );
}

/** Each recording device: its register number and role when the pre-flight check named it. */
function deviceNumbers(r: SessionRecord): string[] {
  const written = r.segments.filter((s) => s.state !== 'open' && s.bytes > 0);
  return [...new Set(written.map((s) => s.sourceId))].map((sourceId) => {
    const d = r.deviceOf.get(sourceId);
    const kind = written.find((s) => s.sourceId === sourceId)!.kind;
    return d
      ? `${d.deviceNo} (${kind}, source ${sourceId}, ${d.role})`
      : kind === 'program'
        ? `${sourceId} (program, composited by workstation ${hostname()})`
        : `${sourceId} (${kind})`;
  });
}

/** The facts of the session record as bag-info elements. */
export function bagInfoOf(
  r: SessionRecord,
  seal: SealMeta,
  officerOf: (id: number) => Pick<OfficerDto, 'name' | 'certificateNo' | 'unit'>,
): BagInfo {
  const { session, case: c } = r;
  const { retention } = seal;
  const officerUnits = session.officers
    .map((o) => officerOf(o.officerId).unit)
    .filter((u): u is string => Boolean(u));
  const partyNames = session.participants.filter((p) => p.role === 'party').map((p) => p.name);
  const parties =
    partyNames.length > 0
      ? partyNames
      : c.parties.length > 0
        ? c.parties.map((p) => p.name)
        : ['无 none recorded'];
  const maker = seal.user.officerId ? officerOf(seal.user.officerId) : null;
  const info: SessionRecordInfo = {
    caseNumber: c.caseNo,
    caseCause: c.cause,
    parties,
    officers: session.officers.map((o) => ({ name: o.name, certificateNo: o.certificateNo })),
    deviceNumbers: deviceNumbers(r),
    recordingStart: r.startedAt,
    recordingEnd: r.endedAt,
    place: session.room ? `${session.place} ${session.room}` : session.place,
    recordingMethod: recordingMethod(r),
    madeBy: maker
      ? `${maker.name} (执法证号 certificate ${maker.certificateNo})`
      : seal.user.displayName,
    madeAt: seal.at,
    productionMethod:
      `${seal.software} workstation ${hostname()}: media copied bit for bit from the recording, ` +
      `transcript PDF signed (PAdES); sealed as a BagIt bag with a detached CMS signature ` +
      `(certificate SHA-256 ${seal.identity.fingerprintSha256})`,
    evidentiaryPurpose: seal.evidentiaryPurpose,
    retention: {
      class: retention.class,
      ...(retention.reason ? { reason: retention.reason } : {}),
      ...(retention.retainUntil !== null ? { retainUntil: retention.retainUntil } : {}),
    },
    sessionId: String(session.id),
    sessionKind: `${session.kind} ${KIND_ZH[session.kind]}`,
    description: `${KIND_ZH[session.kind]} ${c.caseNo} ${c.cause}`,
    timeZone: r.timeZone,
    ...(officerUnits[0] ? { sourceOrganization: officerUnits[0] } : {}),
    auditTrailHead: seal.auditHead,
  };
  return buildBagInfo(info);
}
