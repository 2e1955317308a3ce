import { describe, expect, it } from 'vitest';
import { applyAction, EMPTY_TRANSCRIPT, missingNotices } from '@shared/rules/transcript';
import { phraseActions } from '../../../renderer/src/features/transcript/phrases';

describe('inserting a notice from the phrase guide', () => {
  it('adds the officer’s words, an empty answer after them, and marks the step at that moment', () => {
    let n = 0;
    const { actions, answerId } = phraseActions(
      {
        step: 'rights_explained',
        speaker: 'question',
        statement: '你有陈述、申辩的权利。',
        responder: 'answer',
      },
      65_000,
      () => `id${++n}`,
    );
    const state = actions.reduce(applyAction, EMPTY_TRANSCRIPT);
    expect(state.turns).toEqual([
      { id: 'id2', speaker: 'question', text: '你有陈述、申辩的权利。', at: 65_000 },
      { id: 'id1', speaker: 'answer', text: '', at: 65_001 },
    ]);
    expect(answerId).toBe('id1');
    expect(state.markers).toEqual([{ id: 'id3', kind: 'rights_explained', at: 65_000, note: '' }]);
    // With the recording notice too, nothing the signing needs is missing.
    const both = applyAction(state, {
      type: 'marker.add',
      id: 'r',
      kind: 'recording_announced',
      at: 1_000,
      note: '',
    });
    expect(missingNotices('interview', state)).toEqual(['recording_announced']);
    expect(missingNotices('interview', both)).toEqual([]);
    // A hearing announces the recording at its opening, as every session does.
    expect(missingNotices('hearing', EMPTY_TRANSCRIPT)).toEqual([
      'recording_announced',
      'rights_explained',
    ]);
  });
});
