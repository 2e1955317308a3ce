/**
 * The agency's phrase guide (执法用语指引, R6.5): standard phrases by kind of session and step,
 * edited by an administrator or the legal-affairs office and versioned; the transcript pane
 * inserts them at the caret (Alt+K, searched as you type) and the procedure checklist uses the
 * notices' wording.
 */
import { z } from 'zod';
import { SESSION_KINDS, idSchema, type SessionKind } from '../domain';
import { PROCEDURE_STEP_KINDS } from '../rules/transcript';
import { optionalText } from '../schema';
import { CASE_WRITERS, events, method } from './define';

/** The steps a phrase belongs to: the opening, the procedure steps, the closing. */
export const GUIDE_STEPS = ['opening', ...PROCEDURE_STEP_KINDS, 'closing'] as const;
export type GuideStep = (typeof GUIDE_STEPS)[number];

export const phraseEntrySchema = z
  .object({
    session: z.enum(SESSION_KINDS),
    step: z.enum(GUIDE_STEPS),
    /** The words, with `{agency}`, `{officers}`, `{certificates}`, `{party}` filled in use. */
    text: z.string().trim().min(2).max(1000),
  })
  .strict();
export type PhraseEntry = z.output<typeof phraseEntrySchema>;

export const guideSchemas = {
  get: z.object({}).strict(),
  save: z
    .object({ entries: z.array(phraseEntrySchema).min(1).max(300), note: optionalText(200) })
    .strict(),
  forSession: z.object({ sessionId: idSchema }).strict(),
};

export interface PhraseGuideDto {
  /** 0: the form templates' wording (no version saved yet). */
  version: number;
  entries: PhraseEntry[];
  setBy: string | null;
  setAt: number | null;
  note: string | null;
}

/** A phrase of the guide for one session, filled in with its agency, officers and party. */
export interface SessionPhraseDto {
  step: GuideStep;
  text: string;
}

export const guideMethods = {
  'guide.get': method<PhraseGuideDto>()(guideSchemas.get, 'user'),
  'guide.save': method<PhraseGuideDto>()(guideSchemas.save, ['admin', 'legal_reviewer']),
  'guide.forSession': method<{ version: number; kind: SessionKind; phrases: SessionPhraseDto[] }>()(
    guideSchemas.forSession,
    CASE_WRITERS,
  ),
} as const;

export interface GuideEvents {
  'guide.changed': { version: number };
}
export const GUIDE_EVENTS = events<GuideEvents>()(['guide.changed']);
