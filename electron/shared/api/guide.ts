/**
 * The agency's phrase guide (执法用语指引, R6.5): standard phrases by kind of session and step,
 * edited by an administrator or the legal-affairs office and versioned; the transcript pane
 * inserts them at the caret (Alt+K, searched as you type) and the procedure checklist uses the
 * notices' wording.
 */
import { z } from 'zod';
import { MATTER_KINDS, SESSION_KINDS, idSchema, type SessionKind } from '../domain';
import { AV_REQUIREMENTS, type AvListEntry } from '../rules/av-list';
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

export const avListEntrySchema = z
  .object({
    session: z.enum(SESSION_KINDS),
    matter: z.union([z.enum(MATTER_KINDS), z.literal('any')]),
    requirement: z.enum(AV_REQUIREMENTS),
  })
  .strict();

export const guideSchemas = {
  get: z.object({}).strict(),
  save: z
    .object({ entries: z.array(phraseEntrySchema).min(1).max(300), note: optionalText(200) })
    .strict(),
  forSession: z.object({ sessionId: idSchema }).strict(),
  saveAvList: z
    .object({ entries: z.array(avListEntrySchema).min(1).max(200), note: optionalText(200) })
    .strict(),
};

/** The list of matters recorded on A/V (音像记录事项清单), as saved or the default (version 0). */
export interface AvListDto {
  version: number;
  entries: AvListEntry[];
  setBy: string | null;
  setAt: number | null;
  note: string | null;
}

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
  'avList.get': method<AvListDto>()(guideSchemas.get, 'user'),
  'avList.save': method<AvListDto>()(guideSchemas.saveAvList, ['admin', 'legal_reviewer']),
} as const;

export interface GuideEvents {
  'guide.changed': { version: number };
  'avList.changed': { version: number };
}
export const GUIDE_EVENTS = events<GuideEvents>()(['guide.changed', 'avList.changed']);
