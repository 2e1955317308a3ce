/**
 * How a signing's record is laid out and printed: the templates and fonts (resources/), the
 * layout the pages are numbered by, the unsigned preview, and the signed record (PAdES) with
 * the workstation's identity, loaded once.
 */
import { AppError } from '../../../shared/errors';
import { defaultResourcesDir } from '../../platform/pdf/fonts';
import type { TranscriptDocument, Transcript } from '../../platform/pdf/model';
import type { TranscriptLayout } from '../../platform/pdf/layout';
import {
  paginateTranscript,
  renderTranscriptPdf,
  type RenderedTranscript,
} from '../../platform/pdf/render';
import { loadTemplates, type TranscriptTemplates } from '../../platform/pdf/templates';
import { PdfInputError } from '../../platform/pdf/validate';
import { identityDirOf, loadOrCreateIdentity, type WorkstationIdentity } from '../../platform/pki';
import { blankSignatures, type RecordMode } from './rules';

export interface SigningOptions {
  /** resources/ (fonts and templates); found automatically when omitted. */
  resourcesDir?: string;
  /** Where the workstation identity lives (default `<dataDir>/identity`). */
  identityDir?: string;
  /** Producer string for the PDF. */
  producer?: string;
}

export class SigningPrinter {
  private templatesCache: TranscriptTemplates | null = null;
  private identity: Promise<WorkstationIdentity> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly opts: SigningOptions = {},
  ) {}

  private resources(): { resourcesDir: string } {
    return { resourcesDir: this.opts.resourcesDir || defaultResourcesDir() };
  }

  /** The printed forms' templates (titles, closing statement, officer roles). */
  templates(): TranscriptTemplates {
    this.templatesCache ??= loadTemplates(this.resources().resourcesDir);
    return this.templatesCache;
  }

  /** The pages as they print, without rendering them. */
  layout(transcript: Transcript, mode: RecordMode): TranscriptLayout {
    return paginateTranscript({ transcript, signatures: mode }, this.resources());
  }

  /** The pages exactly as they will print, every signature slot still empty. */
  async preview(transcript: Transcript, mode: RecordMode, closingText: string): Promise<Buffer> {
    const signatures = blankSignatures(mode, closingText, transcript.header.signers?.length ?? 0);
    return (await this.render({ transcript, signatures }, { blank: true })).pdf;
  }

  /** The signed record, sealed (PAdES) with the workstation's identity. */
  signed(doc: TranscriptDocument, now: Date): Promise<RenderedTranscript> {
    return this.render(doc, { blank: false, now });
  }

  private async render(
    doc: TranscriptDocument,
    how: { blank: true } | { blank: false; now: Date },
  ): Promise<RenderedTranscript> {
    try {
      return await renderTranscriptPdf(doc, {
        ...this.resources(),
        producer: this.opts.producer ?? 'Attest',
        ...(how.blank
          ? { signer: null, blank: true }
          : { signer: (await this.workstation()).signer, now: how.now }),
      });
    } catch (e) {
      if (e instanceof PdfInputError) {
        throw new AppError(
          'RULE_VIOLATION',
          `the record cannot be printed: ${e.problems.join('; ')}`,
        );
      }
      throw e;
    }
  }

  private workstation(): Promise<WorkstationIdentity> {
    this.identity ??= loadOrCreateIdentity(
      this.opts.identityDir ?? identityDirOf(this.dataDir),
    ).catch((e: unknown) => {
      this.identity = null;
      throw e;
    });
    return this.identity;
  }
}
