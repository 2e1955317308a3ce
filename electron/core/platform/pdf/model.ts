/**
 * The transcript (笔录) as the PDF renderer takes it. Two parts, kept apart on purpose:
 *
 * - {@link Transcript}: what was said and recorded — the text the party reviews. Its
 *   canonical JSON is attached to the PDF as `transcript.json`, and the first 16 hex digits
 *   of its SHA-256 are printed in every seam strip, so the seam on paper names the exact
 *   text it was signed across.
 * - {@link Signatures}: the signing acts on the tablet (strokes with time and pressure, as
 *   evidence), or the refusal. Attached as `signatures.json`.
 *
 * Times: every `…Ms` field is milliseconds on the session clock (ARCHITECTURE §2), the same
 * clock as the recording, so a turn or a signature can be found on the video (R3.1).
 * Absolute times are ISO 8601 strings in UTC; the document prints them in `timeZone`.
 */

/** 询问笔录 (inquiry), 听证笔录 (hearing), 约谈笔录 (summons talk). */
export type TranscriptKind = 'inquiry' | 'hearing' | 'interview' | 'inspection';

/**
 * The schema tag carried in the attached JSON, so later versions can read old documents.
 * Fields added since (the interviewee's particulars and relation, the hearing's `panel`, a
 * `notice-override` statement) are optional: a document without them reads as before.
 */
export const TRANSCRIPT_SCHEMA = 'attest.transcript/1';
export const SIGNATURES_SCHEMA = 'attest.signatures/1';

/** An enforcement officer as printed: name and enforcement certificate number (执法证号). */
export interface Officer {
  name: string;
  /** 执法证号. */
  certificateNo: string;
}

/** The party (当事人 / 被询问人 / 被约谈人). */
export interface Party {
  name: string;
  /** 身份证件类型, e.g. 居民身份证, 护照, 统一社会信用代码 (for an organisation's representative). */
  idType: string;
  idNumber: string;
  gender?: string;
  address?: string;
  /** Phone or other contact. */
  contact?: string;
  /** Work unit and position (工作单位及职务), if recorded. */
  employer?: string;
  /** Date of birth as printed, e.g. 1949年12月31日. */
  birthDate?: string;
  /** 民族, e.g. 汉族. */
  ethnicity?: string;
  /** 与本案关系: 当事人, 证人, 法定代表人 … */
  relation?: string;
}

/** Someone else present: 委托代理人, 翻译人员, 见证人, 第三人, 证人 … */
export interface Participant {
  /** Role as printed, e.g. 委托代理人. */
  role: string;
  name: string;
  idNumber?: string;
  /** Free text (e.g. the agent's law firm). */
  note?: string;
}

/** Start and end of the matter, taken from the recording itself (R2.4). */
export interface RecordingSpan {
  /** UTC instant the recording started. */
  startedAt: string;
  /** UTC instant the recording stopped. */
  endedAt: string;
  /** Session time of the start and the stop (turn times in the margin count from `startMs`). */
  startMs: number;
  endMs: number;
  /** IANA zone the document prints times in, e.g. `Asia/Shanghai`. */
  timeZone: string;
}

/** The header block of the form. */
export interface TranscriptHeader {
  /** Issuing agency, printed above the title (执法机关名称). */
  agency?: string;
  caseNumber: string;
  /** 案由. */
  cause: string;
  place: string;
  recording: RecordingSpan;
  /** 第 N 次 (询问/约谈/听证). */
  sequence?: number;
  /** The officers conducting it (询问人 / 约谈人 / 调查人员); the rules want two or more. */
  officers: Officer[];
  /** 记录人 / 记录员. */
  recorder: Officer;
  /** For hearings: 主持人. */
  moderator?: Officer;
  /** For hearings: the 听证员 who sit with the moderator. */
  panel?: Officer[];
  /** For inspections: the objects and items inspected (检查对象及项目). */
  subject?: string;
  /** The party cannot read: the officer who read the record aloud to them (宣读人). */
  readAloud?: { reader: Officer };
  party: Party;
  others: Participant[];
  /**
   * Who signs after the party, in turn (a hearing's agents, third parties, witnesses,
   * interpreter), where the form has every participant sign; signer n is `signers[n - 1]`.
   */
  signers?: Participant[];
}

/** Procedure statements the rules require before the questioning (R1.3, R2.5, R3.4). */
export type ProcedureKind =
  /** 表明身份、出示证件. */
  | 'identity'
  /** 告知录音录像 (R3.4). */
  | 'recording-notice'
  /** 告知权利义务: 陈述、申辩、申请回避、申请听证. */
  | 'rights'
  /** 核对身份. */
  | 'identity-check'
  /** Hearing order: 宣布纪律, 回避, 调查, 质证, 辩论, 最后陈述 … */
  | 'hearing-step'
  /** Officers' statement, made in person, of why a required notice is not on the record. */
  | 'notice-override';

/** One procedure statement as said and answered, printed before the turns. */
export interface ProcedureStatement {
  kind: ProcedureKind;
  /** Speaker label of the statement, e.g. 问 or 主持人. */
  speaker: string;
  /** What the officer said, e.g. "我们是……的执法人员，这是我们的执法证件，请过目。" */
  statement: string;
  /** Speaker label of the answer, e.g. 答 or 当事人. */
  responder?: string;
  /** The party's answer, e.g. "看清楚了。" */
  response?: string;
  atMs: number;
}

/** One turn of the conversation. */
export interface Turn {
  /** Stable id (corrections point at it). */
  id: string;
  /** Label as printed: 问 / 答, or 主持人 / 调查人员 / 当事人 / 委托代理人 / 证人 / 第三人 / 记录员. */
  speaker: string;
  /**
   * The final text, after any corrections. A correction's `start`/`end` index into this
   * string (UTF-16 code units, i.e. JavaScript string indices).
   */
  text: string;
  /** Session time the turn began. */
  atMs: number;
}

/**
 * A change made after the party reviewed the text (R2.2: confirmed by the party at the
 * change). `turn.text.slice(start, end)` is `newText`; it replaced `originalText`.
 * Insertions have an empty `originalText`, deletions an empty `newText` (start === end).
 */
export interface Correction {
  id: string;
  turnId: string;
  start: number;
  end: number;
  originalText: string;
  newText: string;
  atMs: number;
}

/** A step of the order (a hearing's) as marked on the recording clock. */
export interface StepMark {
  /** As printed, e.g. 宣布听证纪律. */
  name: string;
  atMs: number;
  /** The party's answer, as printed (当事人表示听清楚了；不申请回避). */
  answer?: string;
}

/** What was recorded: the text part of the document. */
export interface Transcript {
  schema: typeof TRANSCRIPT_SCHEMA;
  /** Document id (e.g. a UUID), also the PDF's /ID seed. */
  id: string;
  kind: TranscriptKind;
  header: TranscriptHeader;
  procedures: ProcedureStatement[];
  /** The steps of the order, in time order, printed as headings where they fell among the turns. */
  steps?: StepMark[];
  /** The notices given (告知事项), in time order, with the party's answers, printed before the turns. */
  notices?: StepMark[];
  turns: Turn[];
  corrections: Correction[];
}

/** Pointer that drew a point, as the browser's PointerEvent reports it. */
export type PointerKind = 'pen' | 'touch' | 'mouse';

/** One sampled point of a stroke, in the signature canvas's CSS pixels (y grows downwards). */
export interface StrokePoint {
  x: number;
  y: number;
  /** Session time in ms. */
  t: number;
  /** 0–1 as PointerEvent.pressure (mouse reports 0.5 while pressed). */
  pressure: number;
  pointerType: PointerKind;
}

/** A handwritten mark: strokes on a canvas of known size. */
export interface Handwriting {
  canvas: { width: number; height: number };
  /** Each stroke is the points from pointer-down to pointer-up. */
  strokes: StrokePoint[][];
  /** When the act was completed: UTC instant (for the printed date) and session time. */
  signedAt: string;
  atMs: number;
}

/** The party's signature and date on one page (R2.2: signs every page). */
export interface PageSignature {
  /** 1-based page number, as laid out by {@link layoutTranscript}. */
  page: number;
  signature: Handwriting;
}

/** The party's handwritten closing statement. */
export interface ClosingStatement {
  /** The words written, e.g. the default {@link DEFAULT_CLOSING_TEXT}. */
  text: string;
  handwriting: Handwriting;
}

/** An officer's signature (the officer is named so the slot cannot be confused). */
export interface OfficerSignature {
  officer: Officer;
  /** Role as printed, e.g. 询问人, 记录人, 主持人, 执法人员. */
  role: string;
  signature: Handwriting;
}

/** What one of the other signers (`header.signers`) wrote, or their refusal. */
export type OtherSignature =
  | {
      /** 1-based: `header.signers[signer - 1]`. */
      signer: number;
      kind: 'signed';
      /** Every page (empty where the form has the others sign only the closing statement). */
      pages: PageSignature[];
      /** Their signature across the seam, where the form has the others sign it too. */
      seam?: Handwriting;
      closing: ClosingStatement;
    }
  | { signer: number; kind: 'refused'; reason: string; atMs: number };

/** The party signed. */
export interface PartySigned {
  kind: 'signed';
  /** One per page, pages 1..n in order. */
  pages: PageSignature[];
  /**
   * The seam (骑缝) signature: one signature, cut into one strip per page. Required when
   * the document has two or more pages; a one-page document has no seam.
   */
  seam?: Handwriting;
  /** Initials at each correction, keyed by correction id. */
  corrections: Record<string, Handwriting>;
  closing: ClosingStatement;
  /** Two or more (询问人 ×2, 记录人 …). */
  officers: OfficerSignature[];
  /** The other signers in turn, one entry each (absent where only the party signs). */
  others?: OtherSignature[];
}

/** The party refused to sign; the refusal is noted and two officers sign (R2.2). */
export interface PartyRefused {
  kind: 'refused';
  reason: string;
  atMs: number;
  /** Two or more. */
  officers: OfficerSignature[];
  /** The other signers in turn, one entry each (absent where only the party signs). */
  others?: OtherSignature[];
}

/** The signing acts: everything drawn on the tablet, or the refusal. */
export type Signatures = (PartySigned | PartyRefused) & { schema: typeof SIGNATURES_SCHEMA };

/** What {@link renderTranscriptPdf} takes. */
export interface TranscriptDocument {
  transcript: Transcript;
  signatures: Signatures;
}

/** The default closing statement the party writes (configurable per agency). */
export const DEFAULT_CLOSING_TEXT = '以上笔录我看过，和我说的相符';
