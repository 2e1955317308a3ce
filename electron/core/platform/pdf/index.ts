/**
 * The signed transcript PDF (笔录): layout, rendering with a subset CJK font, handwriting
 * as vector paths, attachments, PDF/A-3-style metadata and a PAdES signature.
 */
export type * from './model';
export { DEFAULT_CLOSING_TEXT, SIGNATURES_SCHEMA, TRANSCRIPT_SCHEMA } from './model';
export type { RenderedTranscript, RenderOptions } from './render';
export { ATTACHMENTS, paginateTranscript, renderTranscriptPdf } from './render';
export type {
  Box,
  Color,
  DrawItem,
  LayoutMode,
  LayoutOptions,
  PageLayout,
  SlotRef,
  TranscriptLayout,
} from './layout';
export { layoutTranscript, PAGE_HEIGHT, PAGE_WIDTH, seamGeometry } from './layout';
export type { FontBytes, FontFace } from './fonts';
export { defaultResourcesDir, FONT_FILES, FontMetrics, loadFontBytes } from './fonts';
export type { FormTemplate, ProcedurePrompt, TranscriptTemplates } from './templates';
export { loadTemplates } from './templates';
export type { PdfInputErrorCode } from './validate';
export { PdfInputError, validateDocument } from './validate';
export { canonicalJson, canonicalSha256 } from './canonical';
export { inkBounds } from './ink';
