import { describe, expect, it } from 'vitest';
import { emptySegmentNote } from '../../../electron/core/features/sealing/rules';

describe('the sealed record of a segment without bytes', () => {
  it('says empty only when nothing was ever written', () => {
    expect(emptySegmentNote(null)).toMatch(/^empty segment/);
    expect(
      emptySegmentNote(JSON.stringify({ journaledBytes: 0, reason: 'stopped early' })),
    ).toMatch(/^empty segment/);
  });

  it('says media was lost when confirmed bytes are gone after recovery, and where the cut went', () => {
    const note = emptySegmentNote(
      JSON.stringify({
        journaledBytes: 123_456,
        reason: 'the file could not be recovered',
        cutFiles: ['sessions/1/media/cam1-001.mp4.cut-1'],
      }),
    );
    expect(note).toMatch(/^MEDIA LOST: 123456 bytes/);
    expect(note).toContain('the file could not be recovered');
    expect(note).toContain('cam1-001.mp4.cut-1');
  });
});
