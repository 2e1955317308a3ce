/**
 * The tablet armed for one officer's signature, per signing: set at the desk by that officer,
 * used once, gone after `OFFICER_ARMING_MS` (shared/api/signing). Kept in memory on purpose: a restarted
 * core forgets it and the officer arms again (the arming itself is audited).
 */
import type { SessionDto } from '../../../shared/domain';
import type { SigningStatusDto } from '../../../shared/api/signing';

export interface Arming {
  officerId: number;
  /** The account of the officer who armed it. */
  userId: number;
  /** The version it was armed for: a new text needs a new arming. */
  version: number;
  until: number;
}

export class Armings {
  private readonly armings = new Map<number, Arming & { timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly now: () => number,
    /** Told when an arming runs out unused, so the pages can show it gone. */
    private readonly expired: (signingId: number, sessionId: number, version: number) => void,
  ) {}

  /** Arms the tablet of a signing, replacing any arming it had. */
  set(signing: { id: number; session_id: number }, arming: Arming): void {
    const signingId = signing.id;
    this.clear(signingId);
    const timer = setTimeout(
      () => {
        if (this.armings.get(signingId) !== stored) return;
        this.armings.delete(signingId);
        this.expired(signingId, signing.session_id, arming.version);
      },
      Math.max(0, arming.until - this.now()) + 50,
    );
    timer.unref?.();
    const stored = { ...arming, timer };
    this.armings.set(signingId, stored);
  }

  /** The arming as set, run out or not. */
  get(signingId: number): Arming | undefined {
    return this.armings.get(signingId);
  }

  clear(signingId: number): void {
    const a = this.armings.get(signingId);
    if (a) clearTimeout(a.timer);
    this.armings.delete(signingId);
  }

  /** The tablet's arming, while it holds: made for this version, not run out. */
  live(signingId: number, version: number): Arming | null {
    const a = this.armings.get(signingId);
    return a && a.version === version && a.until > this.now() ? a : null;
  }

  /** The tablet's arming for an officer, as the pages are told of it. */
  armedOf(signingId: number, session: SessionDto, version: number): SigningStatusDto['armed'] {
    const a = this.live(signingId, version);
    if (!a) return null;
    const o = session.officers.find((x) => x.officerId === a.officerId);
    return o ? { officerId: a.officerId, name: o.name, until: a.until } : null;
  }
}
