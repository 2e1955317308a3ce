/**
 * The data a laid-out transcript is made of: boxes, colours, drawing instructions, signature
 * slots and the layout modes (who signed, who refused). The tablet and the renderer read it;
 * layout.ts makes it.
 */
import type { FontFace } from './fonts';

/** A rectangle in PDF points; (x, y) is its lower-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** RGB, 0–1. */
export type Color = readonly [number, number, number];

export const BLACK: Color = [0, 0, 0];
export const GRAY: Color = [0.45, 0.45, 0.45];
export const LIGHT: Color = [0.7, 0.7, 0.7];
/** Handwriting is drawn in dark blue ink, so it never passes for print. */
export const INK: Color = [0.07, 0.16, 0.52];

/** Where a signature (or other handwriting) goes. */
export type SlotRef =
  /** `signer` 1… is `header.signers[signer - 1]`; absent is the party. */
  | { type: 'page'; page: number; signer?: number }
  | { type: 'initials'; correctionId: string }
  | { type: 'closing'; signer?: number }
  | { type: 'officer'; role: string; certificateNo: string };

/** One drawing instruction. */
export type DrawItem =
  | {
      kind: 'text';
      x: number;
      y: number;
      size: number;
      text: string;
      font: FontFace;
      color: Color;
      /** Degrees counter-clockwise about (x, y). */
      rotate?: number;
      /**
       * Drawn, but out of the text a reader extracts, searches or copies: text struck out by
       * a correction is on the page as on paper, while the record reads as it was signed.
       */
      notInText?: true;
    }
  | {
      kind: 'rule';
      x1: number;
      y1: number;
      x2: number;
      y2: number;
      width: number;
      color: Color;
      dash?: [number, number];
    }
  | {
      kind: 'slot';
      slot: SlotRef;
      box: Box;
      /** Where the signing date goes (baseline start), if the slot carries one. */
      dateAt?: { x: number; y: number; size: number };
      /** Where a caption under the handwriting goes (the closing statement's words). */
      captionAt?: { x: number; y: number; size: number; maxWidth: number };
    }
  | {
      kind: 'seam';
      /** The part of the page this strip occupies (the clip). */
      strip: Box;
      /** The whole seam signature's band, placed so that `strip` shows this page's slice. */
      band: Box;
      /** Whose seam: absent the party's, 1… `header.signers[signer - 1]`'s. */
      signer?: number;
    };

/** One page's instructions. */
export interface PageLayout {
  /** 1-based. */
  number: number;
  items: DrawItem[];
}

/**
 * How the party ended the session, as far as the layout is concerned. The other signers'
 * refusals do not change it: they are printed in their places (render.ts), never moving a page.
 */
export type LayoutMode = { kind: 'signed' } | { kind: 'refused'; reason: string };

/** The laid-out document. */
export interface TranscriptLayout {
  width: number;
  height: number;
  pageCount: number;
  pages: PageLayout[];
  /** SHA-256 (hex) of the canonical transcript JSON; the first 16 digits are in the seam. */
  contentHash: string;
}
