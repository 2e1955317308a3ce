/**
 * The compliance report: each rule of the regulations that applies to a session (before it
 * is sealed) or to a case (before it is filed), in plain Chinese, with its evidence and
 * whether it is met, missing, or overridden (by whom, why). Pure: the core gathers the
 * facts, this judges them; the same words go to the screen and into the sealed bag
 * (`data/compliance.json`), so an officer sees a gap while it can still be closed.
 */
import type { SessionKind } from '../domain';
import { PROCEDURE_STEPS, type ProcedureStep } from './transcript';

export type ComplianceStatus = 'met' | 'missing' | 'overridden';

export interface ComplianceItem {
  /** The rule's id in shared/regulations (R2.2 …); the screen shows `title`, not the id. */
  rule: string;
  /** What the rule asks, in plain Chinese. */
  title: string;
  status: ComplianceStatus;
  /** Where it is met (the marker and its time, the signature, the stored copy), or what is missing. */
  evidence: string;
}

export const COMPLIANCE_SCHEMA = 'attest.compliance/1';

export interface ComplianceReport {
  schema: typeof COMPLIANCE_SCHEMA;
  subject: { kind: 'session'; sessionId: number } | { kind: 'case'; caseId: number };
  at: string;
  items: ComplianceItem[];
}

/** What a session's report is judged from. */
export interface SessionComplianceFacts {
  kind: SessionKind;
  officers: { name: string; certificateNo: string }[];
  /** Procedure steps marked, with the elapsed time each was marked at (e.g. `00:01:05`). */
  marked: Partial<Record<ProcedureStep, string>>;
  /** The officers' statement that let the signing open without a notice (R3.4, R2.5). */
  noticeOverride: { missing: string[]; reason: string; officers: string[] } | null;
  /** Registered devices the pre-flight check mapped sources to; null without a check. */
  preflight: { sources: number; deviceNos: string[] } | null;
  /** Media files recorded, and the recording's span as the record prints it. */
  media: { files: number; span: string };
  signing:
    | { state: 'finished'; pages: number; refused: string[]; officers: number }
    | { state: 'open' | 'refused' }
    | null;
  /** Interruptions and how each was closed: resumed with the reason stated, or not. */
  interruptions: { at: string; reason: string | null }[];
  /** A hearing's report: signed by the moderator or not; null for other kinds. */
  hearingReport: 'signed' | 'unsigned' | null;
  /** What the agency's A/V matters list asked when the session started, if it is listed. */
  avList?: { version: number; requirement: 'whole' | 'record' };
}

const STEP_RULE: Partial<Record<ProcedureStep, { rule: string; title: string }>> = {
  recording_announced: { rule: 'R3.4', title: '事先告知当事人正在录音录像' },
  rights_explained: { rule: 'R2.5', title: '告知当事人权利和义务' },
  identity_checked: { rule: 'R2.5', title: '核对当事人身份' },
};

/** The rules of the notices at the start (recording announced, rights, identity): supervision counts their gaps. */
export const NOTICE_RULES: readonly string[] = [
  ...new Set(Object.values(STEP_RULE).map((r) => r!.rule)),
];

/** The report of a session before it is sealed. */
export function sessionCompliance(f: SessionComplianceFacts): ComplianceItem[] {
  const items: ComplianceItem[] = [];
  const add = (rule: string, title: string, status: ComplianceStatus, evidence: string) =>
    items.push({ rule, title, status, evidence });
  const shown = f.marked.identity_shown;
  const officers = f.officers.map((o) => `${o.name}（${o.certificateNo}）`).join('、');
  if (f.kind !== 'hearing')
    add(
      'R1.3',
      '两名以上执法人员参加并出示执法证件',
      f.officers.length >= 2 && shown ? 'met' : 'missing',
      f.officers.length < 2
        ? `只有 ${f.officers.length} 名执法人员`
        : shown
          ? `${officers}；于 ${shown} 标记出示证件`
          : `${officers}；未标记出示执法证件`,
    );
  for (const step of PROCEDURE_STEPS[f.kind]) {
    const r = STEP_RULE[step];
    if (!r) continue;
    const at = f.marked[step];
    const overridden = !at && f.noticeOverride?.missing.includes(step);
    add(
      r.rule,
      r.title,
      at ? 'met' : overridden ? 'overridden' : 'missing',
      at
        ? `于 ${at} 标记`
        : overridden
          ? `执法人员${f.noticeOverride!.officers.join('、')}确认未告知，理由：${f.noticeOverride!.reason}`
          : '笔录中没有记录',
    );
  }
  add(
    'R3.6',
    '录制前检查设备，使用已登记编号的设备',
    f.preflight && f.preflight.sources > 0 ? 'met' : 'missing',
    f.preflight
      ? `录制前检查 ${f.preflight.sources} 路，设备编号 ${f.preflight.deviceNos.join('、') || '—'}`
      : '没有录制前检查记录',
  );
  add(
    'R3.7',
    '音像记录自开始至结束',
    f.media.files > 0 ? 'met' : 'missing',
    f.media.files > 0 ? `${f.media.files} 个音像文件，${f.media.span}` : '没有音像文件',
  );
  if (f.avList) {
    const whole = f.avList.requirement === 'whole';
    const broken = whole && f.interruptions.length > 0;
    add(
      'R3.2',
      whole ? '按音像记录事项清单全程不间断记录' : '按音像记录事项清单录音录像',
      f.media.files > 0 && !broken ? 'met' : 'missing',
      `${f.avList.version ? `清单第 ${f.avList.version} 版` : '默认清单'}；${
        f.media.files === 0
          ? '没有音像文件'
          : broken
            ? `记录中断 ${f.interruptions.length} 次`
            : `${f.media.files} 个音像文件`
      }`,
    );
  }
  add(
    'R2.4',
    '笔录时间与音像记录的起止时间一致',
    f.media.files > 0 ? 'met' : 'missing',
    f.media.span,
  );
  const unclosed = f.interruptions.filter((i) => !i.reason);
  if (f.interruptions.length)
    add(
      'R3.5',
      '记录中断的，恢复时说明理由',
      unclosed.length ? 'missing' : 'met',
      f.interruptions
        .map((i) => `${i.at} 中断${i.reason ? `，理由：${i.reason}` : '，未说明理由'}`)
        .join('；'),
    );
  const s = f.signing;
  add(
    'R2.2',
    '当事人逐页签名、骑缝签名；拒绝签名的注明并由两名以上执法人员签名',
    s?.state === 'finished' ? 'met' : 'missing',
    !s
      ? '笔录尚未签名'
      : s.state === 'finished'
        ? `${s.pages} 页，${s.refused.length ? `${s.refused.join('、')}拒绝签名，` : ''}${s.officers} 名执法人员签名`
        : '签名尚未完成',
  );
  if (f.kind === 'hearing')
    add(
      'R2.3',
      '听证笔录经参加人核对签名，主持人签署听证报告',
      f.hearingReport === 'signed' && s?.state === 'finished' ? 'met' : 'missing',
      f.hearingReport === 'signed' ? '听证报告已由主持人签署' : '听证报告尚未签署',
    );
  return items;
}

/** What a case's report is judged from, before it is filed. */
export interface CaseComplianceFacts {
  origin: { reason: string | null; emergency: { late: boolean; reported: boolean } | null };
  decision: { approved: boolean; evidence: string };
  documents: { title: string; sealed: boolean; needsService: boolean; proven: boolean }[];
  bundles: { name: string; stored: 'in_time' | 'late' | 'not_stored'; evidence: string }[];
  /** Sessions recorded but not yet sealed (their copies cannot be stored yet). */
  unsealedSessions: number;
  /** Each session's own report (its gaps are listed under their rules). */
  sessions: { label: string; items: ComplianceItem[] }[];
  retention: 'none' | 'proposed' | 'confirmed' | 'declined';
  filing: { overdue: boolean; evidence: string };
}

/** The report of a case before it is filed. */
export function caseCompliance(f: CaseComplianceFacts): ComplianceItem[] {
  const items: ComplianceItem[] = [];
  const add = (rule: string, title: string, ok: boolean, evidence: string) =>
    items.push({ rule, title, status: ok ? 'met' : 'missing', evidence });
  const e = f.origin.emergency;
  add(
    'R1.2',
    '记录案件来源和立案理由；紧急立案在 24 小时内报告',
    !!f.origin.reason && (!e || (e.reported && !e.late)),
    !f.origin.reason
      ? '没有立案理由'
      : !e
        ? f.origin.reason
        : e.reported
          ? e.late
            ? '紧急立案逾 24 小时才报告'
            : '紧急立案已在 24 小时内报告'
          : '紧急立案尚未报告',
  );
  add('R1.4', '处理决定经法制审核、负责人批准', f.decision.approved, f.decision.evidence);
  const unsealed = f.documents.filter((d) => !d.sealed).map((d) => d.title);
  add(
    'R2.1',
    '文书按规范格式制作，加盖印章并注明日期',
    f.documents.length > 0 && unsealed.length === 0,
    f.documents.length === 0
      ? '没有制发文书'
      : unsealed.length
        ? `未盖章：${unsealed.join('、')}`
        : `${f.documents.length} 份文书均加盖电子印章`,
  );
  const unproven = f.documents.filter((d) => d.needsService && !d.proven).map((d) => d.title);
  add(
    'R1.5',
    '文书依法送达并有送达证明',
    unproven.length === 0,
    unproven.length ? `尚无送达证明：${unproven.join('、')}` : '应送达的文书均已送达',
  );
  // Only a case with recordings has copies to store.
  const late = f.bundles.filter((b) => b.stored !== 'in_time');
  if (f.bundles.length || f.unsealedSessions)
    add(
      'R4.1',
      '音像记录在 24 小时内存入指定存储',
      late.length === 0 && f.unsealedSessions === 0,
      [
        ...(f.unsealedSessions ? [`${f.unsealedSessions} 次记录尚未封存`] : []),
        ...f.bundles.map((b) => `${b.name}：${b.evidence}`),
      ].join('；'),
    );
  // A session's gaps, each under its own rule, named by the session.
  for (const session of f.sessions)
    for (const item of session.items)
      if (item.status !== 'met') items.push({ ...item, title: `${session.label}：${item.title}` });
  add(
    'R4.4',
    '需长期保存的情形已由法制审核确认或不予确认',
    f.retention !== 'proposed',
    {
      none: '没有需长期保存的情形',
      proposed: '建议长期保存，尚待确认',
      confirmed: '已确认长期保存',
      declined: '已审核不予长期保存',
    }[f.retention],
  );
  add('R5.2', '在办结后规定期限内立卷归档', !f.filing.overdue, f.filing.evidence);
  return items;
}
