/**
 * The agency's list of matters that must be recorded on audio/video (音像记录事项清单, R3.2,
 * R6.5): by kind of session and of case, "record whole, without interruption" or "record".
 * The default follows R3.2: hearings and on-site inspections (contentious steps on the spot)
 * whole; interviews and summons talks at the agency recorded (fixed A/V monitoring); anything
 * touching personal liberty or major property (administrative coercion) whole. One rule for
 * the core (which refuses to start a listed session without its recording) and the screens.
 */
import { SESSION_KINDS, type MatterKind, type SessionKind } from '../domain';

export const AV_REQUIREMENTS = ['whole', 'record'] as const;
export type AvRequirement = (typeof AV_REQUIREMENTS)[number];

export interface AvListEntry {
  session: SessionKind;
  /** A kind of case, or every kind (`any`). */
  matter: MatterKind | 'any';
  requirement: AvRequirement;
}

export const DEFAULT_AV_LIST: readonly AvListEntry[] = [
  { session: 'hearing', matter: 'any', requirement: 'whole' },
  { session: 'inspection', matter: 'any', requirement: 'whole' },
  { session: 'interview', matter: 'any', requirement: 'record' },
  { session: 'summons', matter: 'any', requirement: 'record' },
  ...SESSION_KINDS.map((session) => ({
    session,
    matter: 'coercion' as const,
    requirement: 'whole' as const,
  })),
];

/** What the list asks of a session: its case's own kind first, else any kind; null if unlisted. */
export function avRequirementOf(
  entries: readonly AvListEntry[],
  session: SessionKind,
  matter: MatterKind,
): AvRequirement | null {
  const own = entries.find((e) => e.session === session && e.matter === matter);
  return (
    (own ?? entries.find((e) => e.session === session && e.matter === 'any'))?.requirement ?? null
  );
}

/**
 * Whether the sources checked before recording satisfy the requirement: picture and sound for
 * a whole recording, at least one of them for a recording.
 */
export function avSourcesSuffice(
  requirement: AvRequirement,
  sources: { cameras: number; microphones: number },
): boolean {
  return requirement === 'whole'
    ? sources.cameras > 0 && sources.microphones > 0
    : sources.cameras + sources.microphones > 0;
}
