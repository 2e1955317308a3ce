/**
 * Retention (R4.4): audio/video is kept at least as long as its case file, which is kept at
 * least three years; a case whose record shows a refusal to sign, an interrupted or abandoned
 * recording, a complaint, an obstruction of the officers, a mass incident or a dispute is
 * proposed for long-term retention, and the legal officer confirms or declines with a reason.
 */
import { ZH_ENUMS } from '../names-zh';

/** Why a case is proposed for long-term retention, each read from the record. */
export const LONG_TERM_GROUNDS = [
  'signature_refused',
  'recording_interrupted',
  'recording_abandoned',
  'complaint',
  'obstruction',
  'mass_incident',
  'dispute',
] as const;
export type LongTermGround = (typeof LONG_TERM_GROUNDS)[number];

/** The grounds in Chinese, as the audit trail and the record say them. */
export const LONG_TERM_GROUND_ZH: Readonly<Record<LongTermGround, string>> =
  ZH_ENUMS.longTermGround;

/** The retention classes in order of length; the case file's is never below `case-3y`. */
export const RETENTION_ORDER = ['av-1y', 'case-3y', 'long-term'] as const;
export type RetentionClassName = (typeof RETENTION_ORDER)[number];

/** The longer of two classes. */
export function longerRetention(a: RetentionClassName, b: RetentionClassName): RetentionClassName {
  return RETENTION_ORDER.indexOf(a) >= RETENTION_ORDER.indexOf(b) ? a : b;
}

/** A ground found in the record, with where it was found. */
export interface GroundFact {
  ground: LongTermGround;
  at: number;
  /** 询问（2026-12-07）第 2 页拒签, the complaint's reference … */
  evidence: string;
}

/** The answer last given to a proposal, with the grounds it answered. */
export interface RetentionDecisionFact {
  decision: 'confirmed' | 'declined';
  grounds: readonly LongTermGround[];
}

export type ProposalState = 'none' | 'proposed' | 'confirmed' | 'declined';

/**
 * The state of the long-term proposal: none without grounds; confirmed once confirmed (it is
 * not taken back); declined while the grounds are those the decline answered; proposed again
 * when a ground the decline did not answer appears.
 */
export function proposalState(
  grounds: readonly GroundFact[],
  decisions: readonly RetentionDecisionFact[],
): ProposalState {
  if (decisions.some((d) => d.decision === 'confirmed')) return 'confirmed';
  if (grounds.length === 0) return 'none';
  const last = decisions.at(-1);
  if (last && grounds.every((g) => last.grounds.includes(g.ground))) return 'declined';
  return 'proposed';
}

/** The case file's class: long-term once confirmed, otherwise three years. */
export function caseFileRetention(state: ProposalState): RetentionClassName {
  return state === 'confirmed' ? 'long-term' : 'case-3y';
}

/**
 * The choices a seal may take: none shorter than the case file's class, which is long-term
 * when the seal's default is (the case is kept long), else three years.
 */
export function allowedRetentionChoices(defaultChoice: RetentionClassName): RetentionClassName[] {
  const floor: RetentionClassName = defaultChoice === 'long-term' ? 'long-term' : 'case-3y';
  return RETENTION_ORDER.filter((c) => longerRetention(c, floor) === c);
}
