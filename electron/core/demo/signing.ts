/**
 * The demo's signing, as the party's page and the desk do it (R2.2, R2.3): each signer in turn
 * reads every page, signs each, the seam (the one questioned) and the closing statement; one
 * named signer refuses instead, the desk recording why; then two officers sign in person (the
 * one signed in at the desk; the second on the tablet, armed with their own password) and the
 * record is finished.
 */
import type { Client } from '../../shared/client';
import type { SigningStatusDto } from '../../shared/api/signing';
import { syntheticHandwriting } from './handwriting';

export interface DemoSigning {
  desk: Client;
  tablet: Client;
  sessionId: number;
  now: () => number;
  advance: (ms: number) => void;
  /** The officer signed in at the desk, and the second with their own account. */
  officerIds: readonly [number, number];
  officer2: { username: string; password: string };
  /** A signer (by name) who refuses to sign, and why. */
  refusal?: { name: string; reason: string };
  /** Why the signing opens with a notice unrecorded, stated by both officers in person. */
  noticeOverride?: string;
}

/** Signs and finishes the session's record; returns its page count. */
export async function signDemoRecord(o: DemoSigning): Promise<number> {
  const { desk, tablet, advance } = o;
  advance(60_000);
  const opened = await desk.invoke('signing.open', {
    sessionId: o.sessionId,
    ...(o.noticeOverride
      ? {
          noticeOverride: {
            reason: o.noticeOverride,
            officerIds: [...o.officerIds],
            confirmations: [{ officerId: o.officerIds[1], ...o.officer2 }],
          },
        }
      : {}),
  });
  const ref = { signingId: opened.signingId, token: opened.token };
  let s: SigningStatusDto = opened;
  let seed = 7;
  const hand = (characters: number, canvas?: { width: number; height: number }) =>
    syntheticHandwriting({
      characters,
      seed: seed++,
      t0: o.now() - 4_000,
      ...(canvas ? { canvas } : {}),
    });
  while (s.signer !== null) {
    const signer = s.signer;
    const who = s.signers[signer]!;
    if (o.refusal && who.name === o.refusal.name) {
      advance(30_000);
      s = await desk.invoke('signing.refuse', {
        signingId: opened.signingId,
        signer,
        reason: o.refusal.reason,
      });
      continue;
    }
    const act = { ...ref, signer };
    for (let page = 1; page <= s.pageCount; page++) {
      advance(20_000);
      s = await tablet.invoke('signing.viewPage', { ...act, version: s.version, page });
    }
    for (let page = 1; page <= s.pageCount; page++) {
      advance(6_000);
      s = await tablet.invoke('signing.signPage', {
        ...act,
        version: s.version,
        page,
        handwriting: hand(2),
      });
    }
    if (s.step === 'seam') {
      advance(6_000);
      s = await tablet.invoke('signing.seam', { ...act, version: s.version, handwriting: hand(2) });
    }
    advance(15_000);
    s = await tablet.invoke('signing.closingStatement', {
      ...act,
      version: s.version,
      handwriting: hand(s.closingText.length, { width: 1200, height: 200 }),
    });
  }
  advance(8_000);
  s = await desk.invoke('signing.officer', {
    signingId: opened.signingId,
    version: s.version,
    officerId: o.officerIds[0],
    handwriting: hand(2),
  });
  advance(8_000);
  await desk.invoke('signing.armOfficer', {
    signingId: opened.signingId,
    officerId: o.officerIds[1],
    confirmation: o.officer2,
  });
  s = await tablet.invoke('signing.officer', {
    ...ref,
    version: s.version,
    officerId: o.officerIds[1],
    handwriting: hand(2),
  });
  advance(5_000);
  await desk.invoke('signing.finish', { signingId: opened.signingId });
  return s.pageCount;
}
