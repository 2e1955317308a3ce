/**
 * The transcript as the PDF prints it, built from the case store: header from the case,
 * the session, its officers and the party; times from the recording (R2.4); turns from the
 * transcript state; changes after the review as corrections (R2.2). Pure, so it is tested
 * without a database.
 */
import { createHash } from 'node:crypto';
import type {
  IdType,
  PartyDto,
  SessionDto,
  SessionKind,
  SessionOfficerDto,
  SessionParticipantDto,
} from '../../../shared/domain';
import {
  answersText,
  type NoticeAnswers,
  type Speaker,
  type Turn as StateTurn,
} from '../../../shared/rules/transcript';
import { canonicalJson } from '../../platform/pdf/canonical';
import type {
  Correction,
  Officer,
  Participant,
  ProcedureStatement,
  Transcript,
  TranscriptKind,
  Turn,
} from '../../platform/pdf/model';
import { TRANSCRIPT_SCHEMA } from '../../platform/pdf/model';
import type { TranscriptLayout } from '../../platform/pdf/layout';
import type { FormTemplate } from '../../platform/pdf/templates';
import type { CorrectionDto, SigningPageDto, SlotDto } from '../../../shared/api/signing';
import { diffText } from './diff';
import { ZH_ENUMS } from '../../../shared/names-zh';

/** Which printed form a session's transcript uses. */
export const FORM_OF_SESSION: Record<SessionKind, TranscriptKind> = {
  interview: 'inquiry', // 询问笔录
  hearing: 'hearing', // 听证笔录
  summons: 'interview', // 约谈笔录
  inspection: 'inspection', // 现场检查（勘验）笔录
};

export const SPEAKER_LABELS: Record<Speaker, string> = ZH_ENUMS.speaker;

/** The names the record prints: the interface's, with "other" said in full. */
export const ID_TYPE_LABELS: Record<IdType, string> = { ...ZH_ENUMS.idType, other: '其他证件' };

const PARTICIPANT_LABELS: Record<SessionParticipantDto['role'], string> = {
  ...ZH_ENUMS.participantRole,
  other: '其他人员',
};

/**
 * Who is questioned and signs, in this order of preference: the party, its legal
 * representative, a third party, a witness, an agent (an interpreter only interprets).
 */
export const INTERVIEWEE_ROLES: readonly SessionParticipantDto['role'][] = [
  'party',
  'legal_representative',
  'third_party',
  'witness',
  'agent',
];

/** The participant the record is signed by, or undefined when the session names none. */
export function intervieweeOf(
  participants: readonly SessionParticipantDto[],
): SessionParticipantDto | undefined {
  for (const role of INTERVIEWEE_ROLES) {
    const found = participants.find((p) => p.role === role);
    if (found) return found;
  }
  return undefined;
}

/** `1949-12-31` as the record prints a date of birth: 1949年12月31日. */
function dateCnOf(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Everything the header needs, read from the case store. */
export interface HeaderSources {
  session: SessionDto;
  caseNo: string;
  cause: string;
  /** The session's officers with their unit (the first unit found names the agency). */
  officers: (SessionOfficerDto & { unit: string | null })[];
  /** The party who signs (the first participant with the role `party`). */
  party: PartyDto | null;
  partyName: string;
  /** The role of the one who is questioned and signs (当事人, 证人, 法定代表人 …). */
  partyRole: SessionParticipantDto['role'];
  /** 第 N 次: this session's number among the case's sessions of its kind. */
  sequence: number;
  /** The agency's time zone, for a session that recorded none. */
  timeZone: string;
  /**
   * The form has every participant review and sign in turn (a hearing, R2.3): the others
   * present sign after the one questioned, in the order the session lists them.
   */
  everyoneSigns?: boolean;
  /** The form prints the steps of the order among the turns (a hearing's). */
  printsSteps?: boolean;
  /**
   * Those who took part through the live room (an interpreter, a lawyer, a witness elsewhere),
   * with the credentials an officer checked on video.
   */
  remote?: readonly {
    name: string;
    role: SessionParticipantDto['role'];
    credentials: readonly string[];
  }[];
}

/**
 * How the record says that someone took part remotely: their identity as checked on video
 * (or that it was not), and that they do not sign on this desk's tablet.
 */
export function remoteNote(credentials: readonly string[]): string {
  const checked = [...new Set(credentials)];
  return `（通过远程视频参加，${
    checked.length ? `已视频核验身份：${checked.join('；')}` : '未经视频核验身份'
  }；未在本机签名板签名）`;
}

/**
 * The officers as the header lists them: the moderator and the hearing officers (听证员) of a
 * hearing, those conducting it, the recorder.
 */
export function headerOfficers(officers: SessionOfficerDto[]): {
  moderator: SessionOfficerDto | undefined;
  panel: SessionOfficerDto[];
  conducting: SessionOfficerDto[];
  recorder: SessionOfficerDto;
} {
  const moderator = officers.find((o) => o.role === 'moderator');
  const panel = officers.filter((o) => o.role === 'hearing_officer');
  const rest = officers.filter((o) => o !== moderator && o.role !== 'hearing_officer');
  const conducting = rest.filter((o) => o.role !== 'recorder');
  const recorders = rest.filter((o) => o.role === 'recorder');
  // Two or more officers conduct it (R1.3); where only one asks, the recorder is the second
  // (询问人：张伟、李娜  记录人：李娜 is the usual form).
  for (const r of recorders) if (conducting.length < 2) conducting.push(r);
  const recorder = recorders[0] ?? conducting.at(-1) ?? rest[0] ?? officers[0];
  if (!recorder) throw new Error('a session without officers cannot be written down');
  return { moderator, panel, conducting, recorder };
}

const asOfficer = (o: SessionOfficerDto): Officer => ({
  name: o.name,
  certificateNo: o.certificateNo,
});

/** The printed role of an officer's signature slot (the layout matches by certificate too). */
export function officerRole(o: SessionOfficerDto, form: FormTemplate): string {
  if (o.role === 'moderator') return '主持人';
  if (o.role === 'hearing_officer') return '听证员';
  if (o.role === 'recorder') return form.recorderLabel;
  return form.officersLabel;
}

/**
 * How a session's record labels its speakers. At a hearing a turn names its speaker's role and,
 * where one person alone holds it, their name (主持人王芳, 委托代理人王明): each participant's own
 * words stay theirs (R2.3). Elsewhere 问/答 as the forms print them.
 */
export function speakerLabels(session: Pick<SessionDto, 'kind' | 'officers' | 'participants'>) {
  const labels: Record<Speaker, string> = { ...SPEAKER_LABELS };
  if (session.kind !== 'hearing') return labels;
  const named = (speaker: Speaker, names: string[]) => {
    if (names.length === 1) labels[speaker] = `${SPEAKER_LABELS[speaker]}${names[0]}`;
  };
  const officers = (role: string) =>
    session.officers.filter((o) => o.role === role).map((o) => o.name);
  const people = (role: string) =>
    session.participants.filter((p) => p.role === role).map((p) => p.name);
  named('moderator', officers('moderator'));
  named('investigator', officers('investigator'));
  named('recorder', officers('recorder'));
  named('party', people('party'));
  named('agent', people('agent'));
  named('witness', people('witness'));
  named('third_party', people('third_party'));
  return labels;
}

/** Turns as reviewed: non-empty turns of the transcript state, with printed speaker labels. */
export function reviewedTurns(
  turns: readonly StateTurn[],
  labels: Readonly<Record<Speaker, string>> = SPEAKER_LABELS,
): Turn[] {
  return turns
    .filter((t) => t.text.trim() !== '')
    .map((t) => ({ id: t.id, speaker: labels[t.speaker], text: t.text, atMs: t.at }));
}

/** SHA-256 of the turns as printed (what the party reviewed); markers do not count. */
export function turnsHash(turns: readonly Turn[]): string {
  return createHash('sha256').update(canonicalJson(turns), 'utf8').digest('hex');
}

export class CorrectionError extends Error {}

/**
 * The turns now, with every change since the review as a correction. A turn removed after
 * the review stays in the record with its words struck through; a new turn is one inserted
 * correction; a changed speaker cannot be shown on paper and is refused.
 */
export function correctedTurns(
  reviewed: readonly Turn[],
  current: readonly Turn[],
  atMs: number,
): { turns: Turn[]; corrections: Correction[] } {
  const before = new Map(reviewed.map((t) => [t.id, t]));
  const now = new Map(current.map((t) => [t.id, t]));
  const turns: Turn[] = [];
  const corrections: Correction[] = [];
  const change = (turn: Turn, from: string): void => {
    diffText(from, turn.text).forEach((c, i) =>
      corrections.push({ id: `${turn.id}.${i + 1}`, turnId: turn.id, ...c, atMs }),
    );
  };
  for (const t of current) {
    const old = before.get(t.id);
    if (old && old.speaker !== t.speaker) {
      throw new CorrectionError(
        `the speaker of a reviewed turn changed (${old.speaker} → ${t.speaker}); delete the turn and add a new one instead`,
      );
    }
    turns.push({ ...t, atMs: old?.atMs ?? t.atMs });
    change(t, old?.text ?? '');
  }
  // Removed turns keep their place after the nearest reviewed turn still there.
  reviewed.forEach((old, i) => {
    if (now.has(old.id)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const k = turns.findIndex((t) => t.id === reviewed[j]!.id);
      if (k >= 0) {
        at = k + 1;
        break;
      }
    }
    const kept: Turn = { ...old, text: '' };
    turns.splice(at, 0, kept);
    corrections.push({
      id: `${old.id}.1`,
      turnId: old.id,
      start: 0,
      end: 0,
      originalText: old.text,
      newText: '',
      atMs,
    });
  });
  return { turns, corrections };
}

/** The whole document text: header, turns and corrections. */
export function buildTranscript(
  src: HeaderSources,
  documentId: string,
  turns: Turn[],
  corrections: Correction[],
  /** Statements printed before the turns (the officers' statement of a missing notice). */
  procedures: ProcedureStatement[] = [],
  /** The steps of the order as marked, with the party's answers to the notices. */
  steps: readonly { kind: string; at: number; answers?: NoticeAnswers }[] = [],
  /** The officer who read the record aloud to a party who cannot read. */
  reader?: Officer,
): Transcript {
  const s = src.session;
  if (s.startedAt === null || s.endedAt === null) {
    throw new Error('the transcript of a session is written after its recording has ended');
  }
  const { moderator, panel, conducting, recorder } = headerOfficers(src.officers);
  const unit = src.officers.find((o) => o.unit)?.unit ?? undefined;
  const p = src.party;
  const present = s.participants.filter(
    (x) => !(x.role === src.partyRole && x.name === src.partyName),
  );
  const remoteOf = (x: { name: string; role: string }) =>
    (src.remote ?? []).find((r) => r.name === x.name && r.role === x.role);
  const isRemote = (x: { name: string; role: string }) => remoteOf(x) !== undefined;
  const others: Participant[] = present.map((x) => {
    // An agent's authority as the power of attorney gives it (代理权限：特别授权).
    const authority = x.authority
      ? `（代理权限：${ZH_ENUMS.agentAuthority[x.authority]}${x.mandate ? `；授权委托书：${x.mandate}` : ''}）`
      : '';
    const remote = remoteOf(x);
    const note = authority + (remote ? remoteNote(remote.credentials) : '');
    return { role: PARTICIPANT_LABELS[x.role], name: x.name, ...(note ? { note } : {}) };
  });
  // Those present who sign in turn: everyone where the form asks (not the organisation's legal
  // representative named from the party record: they are not a participant of the session),
  // otherwise an interpreter, who took part in what was said. One who took part remotely
  // cannot sign on this desk's tablet.
  const signers = others.filter(
    (_, i) => !isRemote(present[i]!) && (src.everyoneSigns || present[i]!.role === 'interpreter'),
  );
  // A remote participant the session did not list beforehand is named all the same.
  for (const r of src.remote ?? []) {
    const listed = s.participants.some((x) => x.name === r.name && x.role === r.role);
    if (!listed)
      others.push({
        role: PARTICIPANT_LABELS[r.role],
        name: r.name,
        note: remoteNote(r.credentials),
      });
  }
  if (p?.kind === 'organisation' && p.legalRepresentative) {
    others.unshift({ role: '法定代表人', name: p.legalRepresentative });
  }
  return {
    schema: TRANSCRIPT_SCHEMA,
    id: documentId,
    kind: FORM_OF_SESSION[s.kind],
    header: {
      ...(unit ? { agency: unit } : {}),
      caseNumber: src.caseNo,
      cause: src.cause,
      place: s.room ? `${s.place} ${s.room}` : s.place,
      // R2.4: the times written are the recording's own start and stop.
      recording: {
        startedAt: new Date(s.startedAt).toISOString(),
        endedAt: new Date(s.endedAt).toISOString(),
        startMs: 0,
        endMs: s.endedAt - s.startedAt,
        timeZone: s.timeZone ?? src.timeZone,
      },
      sequence: src.sequence,
      officers: conducting.map(asOfficer),
      recorder: asOfficer(recorder),
      ...(moderator ? { moderator: asOfficer(moderator) } : {}),
      ...(panel.length ? { panel: panel.map(asOfficer) } : {}),
      ...(s.subject ? { subject: s.subject } : {}),
      ...(reader ? { readAloud: { reader } } : {}),
      party: {
        name: p?.name ?? src.partyName,
        idType: p ? ID_TYPE_LABELS[p.idType] : '—',
        idNumber: p?.idNumber ?? '—',
        ...(p?.gender ? { gender: ZH_ENUMS.gender[p.gender] } : {}),
        ...(p?.birthDate ? { birthDate: dateCnOf(p.birthDate) } : {}),
        ...(p?.ethnicity ? { ethnicity: p.ethnicity } : {}),
        ...(p?.employer || p?.position
          ? { employer: [p.employer, p.position].filter(Boolean).join(' ') }
          : {}),
        ...(p?.address ? { address: p.address } : {}),
        ...(p?.contact ? { contact: p.contact } : {}),
        relation: PARTICIPANT_LABELS[src.partyRole],
      },
      others,
      ...(signers.length ? { signers } : {}),
    },
    // Statements about the record, such as the officers' on a notice missing from it; the
    // notices given (or a hearing's steps) with the party's answers follow.
    procedures,
    ...stepMarks(steps, src),
    turns,
    corrections,
  };
}

/** Notices of every form (告知事项): what the party was told before the questions. */
const NOTICE_STEPS: readonly string[] = [
  'identity_shown',
  'recording_announced',
  'rights_explained',
  'identity_checked',
  'recusal_asked',
];

/**
 * The steps as the record prints them: a hearing's order among the turns (`steps`), or, on
 * the other forms, the notices given with the party's answers in a block before the turns
 * (`notices`); each with its time and the answer in the record's words.
 */
function stepMarks(
  steps: readonly { kind: string; at: number; answers?: NoticeAnswers }[],
  src: Pick<HeaderSources, 'printsSteps' | 'partyRole'>,
): Pick<Transcript, 'steps' | 'notices'> {
  const who = PARTICIPANT_LABELS[src.partyRole];
  const marks = [...steps]
    .filter((m) => src.printsSteps || NOTICE_STEPS.includes(m.kind))
    .sort((a, b) => a.at - b.at)
    .map((m) => {
      const answer = answersText(m.answers);
      return {
        name: (ZH_ENUMS.markerKind as Record<string, string>)[m.kind] ?? m.kind,
        atMs: m.at,
        ...(answer ? { answer: `${who}${answer}` } : {}),
      };
    });
  if (!marks.length) return {};
  return src.printsSteps ? { steps: marks } : { notices: marks };
}

/**
 * Who signs a record in turn, as it was frozen: the one questioned (signer 0), then
 * `header.signers` (1…), each with the role the record prints.
 */
export function signersOfRecord(
  t: Pick<Transcript, 'header'>,
  partyLabel = '当事人',
): { name: string; role: string }[] {
  const h = t.header;
  return [{ name: h.party.name, role: h.party.relation ?? partyLabel }, ...(h.signers ?? [])];
}

/** The layout as the tablet needs it: where each signature goes on each page. */
export function pagesOf(layout: TranscriptLayout): SigningPageDto[] {
  return layout.pages.map((page) => {
    const slots: SlotDto[] = [];
    let seam: SigningPageDto['seam'] = null;
    const seams: SigningPageDto['seams'] = [];
    for (const item of page.items) {
      if (item.kind === 'seam') {
        seams.push({ signer: item.signer ?? 0, strip: item.strip, band: item.band });
        if (!item.signer) seam = { strip: item.strip, band: item.band };
      }
      if (item.kind !== 'slot') continue;
      const s = item.slot;
      if (s.type === 'page')
        slots.push({ type: 'page', page: s.page, signer: s.signer ?? 0, box: item.box });
      else if (s.type === 'initials')
        slots.push({ type: 'initials', correctionId: s.correctionId, box: item.box });
      else if (s.type === 'closing')
        slots.push({ type: 'closing', signer: s.signer ?? 0, box: item.box });
      else
        slots.push({
          type: 'officer',
          role: s.role,
          certificateNo: s.certificateNo,
          box: item.box,
        });
    }
    return { number: page.number, slots, seam, seams };
  });
}

/** The corrections for the tablet: where each is printed and a little text around it. */
export function correctionsOf(
  transcript: Transcript,
  pages: SigningPageDto[],
  confirmed: ReadonlySet<string>,
): CorrectionDto[] {
  const turns = new Map(transcript.turns.map((t) => [t.id, t]));
  return transcript.corrections.map((c) => {
    const turn = turns.get(c.turnId);
    const text = turn?.text ?? '';
    const page =
      pages.find((p) => p.slots.some((s) => s.type === 'initials' && s.correctionId === c.id))
        ?.number ?? 1;
    return {
      id: c.id,
      turnId: c.turnId,
      page,
      speaker: turn?.speaker ?? '',
      originalText: c.originalText,
      newText: c.newText,
      before: text.slice(Math.max(0, c.start - 16), c.start),
      after: text.slice(c.end, c.end + 16),
      confirmed: confirmed.has(c.id),
    };
  });
}
