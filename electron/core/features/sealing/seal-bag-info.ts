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
import { remoteSourceId } from '../../../shared/api/live';
import { zhName } from '../../../shared/names-zh';

/** The recording method as bag-info states it: fixed or on-site, the sources, the format. */
function recordingMethod(r: SessionRecord): string {
  const written = r.segments.filter((s) => s.state !== 'open' && s.bytes > 0);
  const distinct = (kind: string) =>
    new Set(written.filter((s) => s.kind === kind).map((s) => s.sourceId)).size;
  const codecs = [...new Set(written.map((s) => s.codec))].join(', ');
  const fixed = r.session.kind === 'inspection' ? '现场音像记录' : '固定式音像监控';
  return (
    `${fixed}：摄像机 ${distinct('camera')} 路，拾音器 ${distinct('microphone')} 路` +
    (written.some((s) => s.kind === 'program') ? '，合成画面 1 路（画中画，叠加时间和案号）' : '') +
    `；分段 MP4（${codecs}），边录制边写入并计算哈希`
  );
}

/** Each recording device: its register number and role when the pre-flight check named it. */
function deviceNumbers(r: SessionRecord): string[] {
  const written = r.segments.filter((s) => s.state !== 'open' && s.bytes > 0);
  return [...new Set(written.map((s) => s.sourceId))].map((sourceId) => {
    const d = r.deviceOf.get(sourceId);
    const kind = written.find((s) => s.sourceId === sourceId)!.kind;
    const remote = r.remote.find((p) =>
      [remoteSourceId(p.inviteId, 'video'), remoteSourceId(p.inviteId, 'audio')].includes(sourceId),
    );
    if (remote) {
      const what = kind === 'camera' ? '画面' : '声音';
      return `远程参加人员${remote.name}（${zhName('participantRole', remote.role)}）的${what}（经实时会场接收；信号源 ${sourceId}）`;
    }
    return d
      ? `${d.deviceNo}（${zhName('sourceKind', kind)}，${zhName('sourceRole', d.role)}；信号源 ${sourceId}）`
      : kind === 'program'
        ? `合成画面（工作站 ${hostname()} 合成；信号源 ${sourceId}）`
        : `未登记的${zhName('sourceKind', kind)}（信号源 ${sourceId}）`;
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
        : ['无（未记录当事人）'];
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
    madeBy: maker ? `${maker.name}（执法证号 ${maker.certificateNo}）` : seal.user.displayName,
    madeAt: seal.at,
    productionMethod:
      `${seal.software}，工作站 ${hostname()}：音像文件按录制原样逐位复制，笔录 PDF 已电子签名（PAdES），` +
      `封存为 BagIt 包并附分离式 CMS 签名（签名证书 SHA-256 ${seal.identity.fingerprintSha256}）`,
    evidentiaryPurpose: seal.evidentiaryPurpose,
    retention: {
      class: retention.class,
      ...(retention.reason ? { reason: retention.reason } : {}),
      ...(retention.retainUntil !== null ? { retainUntil: retention.retainUntil } : {}),
    },
    sessionId: String(session.id),
    sessionKind: `${zhName('sessionKind', session.kind)}（${session.kind}）`,
    description: `${zhName('sessionKind', session.kind)} ${c.caseNo} ${c.cause}`,
    timeZone: r.timeZone,
    ...(officerUnits[0] ? { sourceOrganization: officerUnits[0] } : {}),
    auditTrailHead: seal.auditHead,
  };
  return buildBagInfo(info);
}
