/**
 * The unsigned preview the party's page shows: the pages exactly as they will print, every
 * signature slot empty, rendered once per version and layout and fetched in pieces.
 */
import { PREVIEW_CHUNK_BYTES, type PreviewChunkDto } from '../../../shared/api/signing';
import { AppError } from '../../../shared/errors';
import type { Transcript } from '../../platform/pdf/model';
import type { Caller } from '../context';
import type { SigningContext } from './context';
import type { SigningReader } from './status';

export class SigningPreviews {
  /** The last preview rendered per signing (the tablet fetches it in pieces). */
  private readonly cache = new Map<number, { key: string; pdf: Buffer }>();

  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
  ) {}

  /** Keeps a preview just rendered (opening and refreshing render one to check the text). */
  keep(signingId: number, version: number, mode: 'signed' | 'refused', pdf: Buffer): void {
    this.cache.set(signingId, { key: `${version}:${mode}:`, pdf });
  }

  /** Forgets a signing's preview (its record is finished). */
  drop(signingId: number): void {
    this.cache.delete(signingId);
  }

  /** The unsigned preview of the current version, rendered once and kept. */
  private async pdf(
    signingId: number,
  ): Promise<{ pdf: Buffer; version: number; mode: 'signed' | 'refused'; refusals: number[] }> {
    const row = this.reader.row(signingId);
    const version = this.reader.latestVersion(signingId);
    const mode = this.reader.mode(row);
    // A refusal (the party's or another signer's) lays the record out again.
    const key = `${version.version}:${mode.kind}:${(mode.refusals ?? []).map((r) => r.signer).join(',')}`;
    const cached = this.cache.get(signingId);
    const refusals = (mode.refusals ?? []).map((r) => r.signer);
    if (cached?.key === key)
      return { pdf: cached.pdf, version: version.version, mode: mode.kind, refusals };
    const transcript = JSON.parse(version.transcript) as Transcript;
    const pdf = await this.ctx.printer.preview(transcript, mode, row.closing_text);
    this.cache.set(signingId, { key, pdf });
    return { pdf, version: version.version, mode: mode.kind, refusals };
  }

  /** A piece of the unsigned preview PDF (pages exactly as they will print, slots empty). */
  async chunk(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    offset = 0,
  ): Promise<PreviewChunkDto> {
    const { via } = this.reader.access(caller, signingId, token);
    // Once the record is finished, the signing page no longer shows it: the token is
    // in a URL that may linger on the tablet.
    if (via === 'tablet' && this.reader.row(signingId).state === 'finished') {
      throw new AppError('FORBIDDEN', 'this signing is closed');
    }
    const { pdf, version, mode, refusals } = await this.pdf(signingId);
    if (offset > pdf.length) throw new AppError('INVALID_INPUT', 'offset beyond the end');
    const piece = pdf.subarray(offset, offset + PREVIEW_CHUNK_BYTES);
    return {
      version,
      mode,
      refusals,
      offset,
      total: pdf.length,
      base64: piece.toString('base64'),
    };
  }
}
