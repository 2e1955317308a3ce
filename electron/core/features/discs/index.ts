/**
 * Evidence discs (R5.1, R5.2, R4.4; ARCHITECTURE §6): planning bundles onto discs
 * (electron/shared/rules/disc-plan.ts), building ISO 9660 + Rock Ridge + Joliet images with xorriso,
 * burning through the {@link Burner} port (xorriso on Linux, IMAPI2 on Windows), reading
 * discs back against the manifests, the label sheet and disc record, the case file index,
 * and `attest disc`.
 */
export {
  buildImage,
  listFiles,
  printSize,
  safeVolumeId,
  XorrisoError,
} from '../../platform/optical/xorriso';
export type {
  ImageEntry,
  ImageOptions,
  ImageResult,
  IsoFile,
  Extent,
} from '../../platform/optical/xorriso';
export {
  buildDiscImage,
  placementOf,
  readSourceBundle,
  renderReadme,
  DiscLayoutError,
  DISC_INDEX,
  DISC_README,
  DISC_VERIFIER,
  BUNDLES_DIR,
} from './layout';
export type { DiscIndex, DiscIndexBundle, DiscIndexFile, SourceBundle, BuiltImage } from './layout';
export { verifyDisc, formatDiscReport, problemMessage } from './disc-verify';
export type {
  DiscSource,
  DiscVerifyReport,
  DiscProblem,
  DiscProblemCode,
  BundleCheck,
} from './disc-verify';
export {
  XorrisoBurner,
  Imapi2Burner,
  platformBurner,
  parseDevices,
  parseToc,
  mediumOfProfile,
  BurnerError,
  defaultNativeDir,
} from '../../platform/optical/burner';
export type { Burner, BurnProgress } from '../../platform/optical/burner';
export { encodeQr, qrSvg } from './qr';
export type { QrCode } from './qr';
export { renderLabelSheet, renderCaseFileIndex, qrPayload } from './label-pdf';
export type { LabelSheetInput, LabelDisc, LabelBundle } from './label-pdf';
export { discCommand, DISC_USAGE, DISC_SUMMARY } from '../../../cli/disc';
export { DiscsService } from './service';
export type { DiscsOptions } from './env';
export { ArchiveBundleSource, CaseStoreBundleSource } from './bundles';
export type { BundleSource } from './bundles';
export * from './stats';
