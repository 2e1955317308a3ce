/**
 * Inserting a notice from the agency's phrase guide (告知): the officer's words as a turn,
 * an empty answer turn after it for the party's reply, and the step's marker, all at the
 * moment of insertion, so the notice is in the record, on the recording's clock, and done.
 */
import type { PhraseDto } from '@shared/api/signing';
import type { TranscriptAction } from '@shared/rules/transcript';

export function phraseActions(
  phrase: PhraseDto,
  at: number,
  newId: () => string,
): { actions: TranscriptAction[]; answerId: string } {
  const answerId = newId();
  return {
    answerId,
    actions: [
      { type: 'turn.add', id: newId(), speaker: phrase.speaker, text: phrase.statement, at },
      { type: 'turn.add', id: answerId, speaker: phrase.responder, text: '', at: at + 1 },
      { type: 'marker.add', id: newId(), kind: phrase.step, at, note: '' },
    ],
  };
}
