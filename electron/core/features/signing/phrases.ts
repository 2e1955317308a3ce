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

export function phrasesOf(
  form: FormTemplate,
  session: SessionDto,
  facts: { agency: string | null; partyName: string | null },
  speakers: readonly Speaker[],
): PhraseDto[] {
  // Those who ask (with the recorder as the second where one asks alone), as the header lists.
  const officers = headerOfficers(session.officers).conducting;
  const fill = (text: string) =>
    text
      .replaceAll('{agency}', facts.agency ?? '')
      .replaceAll('{officers}', officers.map((o) => o.name).join('、'))
      .replaceAll('{certificates}', officers.map((o) => o.certificateNo).join('、'))
      .replaceAll('{party}', facts.partyName ?? '');
  const asking = speakers[0] ?? 'question';
  const answering = speakers[1] ?? 'answer';
  return form.procedures.flatMap((p) => {
    const step = p.step ?? STEP_OF[p.kind];
    if (!step) return [];
    return [
      {
        step,
        speaker: speakerOf(p.speaker, asking),
        statement: fill(p.statement),
        responder: speakerOf(p.responder, answering),
      },
    ];
  });
}
