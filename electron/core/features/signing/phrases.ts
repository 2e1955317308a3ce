/**
 * The agency's phrase guide for the notices (告知): the form template's procedure wording for
 * the session's kind, filled in with the agency, the officers, their certificate numbers and
 * the party, each tied to the procedure step it does. The transcript pane inserts a phrase as
 * the officer's turn, an answer turn to type the party's reply into, and the step's marker.
 */
import type { PhraseDto } from '../../../shared/api/signing';
import type { SessionDto } from '../../../shared/domain';
import { SPEAKERS, type ProcedureStep, type Speaker } from '../../../shared/rules/transcript';
import type { ProcedureKind } from '../../platform/pdf/model';
import type { FormTemplate } from '../../platform/pdf/templates';
import { headerOfficers, SPEAKER_LABELS } from './document';

/** The step each kind of template statement does. */
const STEP_OF: Readonly<Record<ProcedureKind, ProcedureStep | null>> = {
  identity: 'identity_shown',
  'recording-notice': 'recording_announced',
  rights: 'rights_explained',
  'identity-check': 'identity_checked',
  'hearing-step': 'discipline_announced',
  'notice-override': null,
};

/** The speaker key of a printed label (问 → question), or the fallback. */
function speakerOf(label: string | undefined, fallback: Speaker): Speaker {
  return SPEAKERS.find((s) => SPEAKER_LABELS[s] === label) ?? fallback;
}

/** The placeholders a phrase may hold, by their Chinese names (what the guide's editor shows). */
export const PLACEHOLDER_ZH: Readonly<Record<string, string>> = {
  agency: '机关',
  officers: '执法人员',
  certificates: '执法证号',
  party: '当事人',
};

/** A template's placeholders written with their Chinese names. */
export function placeholdersInChinese(text: string): string {
  return Object.entries(PLACEHOLDER_ZH).reduce(
    (t, [key, zh]) => t.replaceAll(`{${key}}`, `{${zh}}`),
    text,
  );
}

/** The procedure steps a form's statements do, with the form's own wording. */
export function templateSteps(form: FormTemplate): { step: ProcedureStep; statement: string }[] {
  return form.procedures.flatMap((p) => {
    const step = p.step ?? STEP_OF[p.kind];
    return step ? [{ step, statement: p.statement }] : [];
  });
}

/** A phrase's placeholders filled in for the session: its agency, officers and party. */
export function phraseFiller(
  session: SessionDto,
  facts: { agency: string | null; partyName: string | null },
): (text: string) => string {
  // Those who ask (with the recorder as the second where one asks alone), as the header lists.
  const officers = headerOfficers(session.officers).conducting;
  const values: Record<string, string> = {
    agency: facts.agency ?? '',
    officers: officers.map((o) => o.name).join('、'),
    certificates: officers.map((o) => o.certificateNo).join('、'),
    party: facts.partyName ?? '',
  };
  // The templates write {agency}; the agency's guide writes the same in Chinese ({机关}).
  return (text) =>
    Object.entries(values).reduce(
      (t, [key, value]) =>
        t.replaceAll(`{${key}}`, value).replaceAll(`{${PLACEHOLDER_ZH[key]}}`, value),
      text,
    );
}

export function phrasesOf(
  form: FormTemplate,
  session: SessionDto,
  facts: { agency: string | null; partyName: string | null },
  speakers: readonly Speaker[],
  /** The agency's phrase guide's wording of a step, where it has one. */
  wording: (step: ProcedureStep) => string | undefined = () => undefined,
): PhraseDto[] {
  const fill = phraseFiller(session, facts);
  const asking = speakers[0] ?? 'question';
  const answering = speakers[1] ?? 'answer';
  return form.procedures.flatMap((p) => {
    const step = p.step ?? STEP_OF[p.kind];
    if (!step) return [];
    return [
      {
        step,
        speaker: speakerOf(p.speaker, asking),
        statement: fill(wording(step) ?? p.statement),
        responder: speakerOf(p.responder, answering),
      },
    ];
  });
}
