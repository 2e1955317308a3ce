/**
 * What the parts of a signing share: the core's deps, the other features it reads (passed in
 * as ports, so signing imports none of their services), the printer, the tablet's armings,
 * one change at a time per signing, and how a change is told: the session timeline, the audit
 * trail and the `signing.changed` event.
 */
import type { GuideStep } from '../../../shared/api/guide';
import type { SessionKind } from '../../../shared/domain';
import type {
  CaseDetailDto,
  OfficerConfirmation,
  OfficerDto,
  OfficerPresence,
  SessionDto,
  UserDto,
} from '../../../shared/domain';
import type { SigningTimelineKind } from '../../../shared/api/signing';
import type { TranscriptAction, TranscriptState } from '../../../shared/rules/transcript';
import type { Caller, EvidenceGuard, ServiceDeps } from '../context';
import { appendSessionEvent } from '../sessions';
import { Armings } from './armings';
import { SigningPrinter, type SigningOptions } from './printer';
import type { AuditAction } from '../../../shared/audit-actions';

/** The other features a signing reads (and the transcript it marks a refusal on). */
export interface SigningPorts {
  sessions: { get(id: number): SessionDto };
  cases: { get(id: number): CaseDetailDto };
  officers: { get(id: number): OfficerDto };
  /** The case team's check: the desk of a signing is the team's. */
  guard: Pick<EvidenceGuard, 'requireTeam'>;
  transcripts: {
    get(sessionId: number): { seq: number; state: TranscriptState };
    apply(caller: Caller, sessionId: number, baseSeq: number, actions: TranscriptAction[]): unknown;
  };
  users: {
    get(id: number): UserDto;
    /** An officer present in person: signed in at the desk, or with their own password. */
    confirmOfficer(
      caller: Caller,
      officerId: number,
      confirmation: OfficerConfirmation | undefined,
      purpose: { action: string; caseId: number | null; since: number | null },
    ): Promise<{ userId: number; presence: OfficerPresence; record: () => void }>;
  };
  /** The agency's phrase guide: its wording of a step, and its phrases for a kind of session. */
  guide?: {
    wording(kind: SessionKind, step: GuideStep): string | undefined;
    entriesFor(kind: SessionKind): { step: GuideStep; text: string }[];
    current(): { version: number };
  };
}

export class SigningContext {
  readonly printer: SigningPrinter;
  readonly armings: Armings;
  /** One change at a time per signing (rendering is asynchronous). */
  private readonly locks = new Map<number, Promise<unknown>>();

  constructor(
    readonly deps: ServiceDeps,
    readonly ports: SigningPorts,
    readonly dataDir: string,
    opts: SigningOptions = {},
  ) {
    this.printer = new SigningPrinter(dataDir, opts);
    // When an arming runs out unused, the pages are told (they show it gone).
    this.armings = new Armings(deps.now, (signingId, sessionId, version) =>
      this.emit({ id: signingId, session_id: sessionId }, version),
    );
  }

  /** Runs one change of a signing after the changes before it have settled. */
  async locked<T>(signingId: number, fn: () => Promise<T> | T): Promise<T> {
    const before = this.locks.get(signingId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(signingId, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(signingId) === tail) this.locks.delete(signingId);
    }
  }

  /** Mirrors a signing act onto the session timeline. */
  timeline(
    session: SessionDto,
    kind: SigningTimelineKind,
    at: number,
    userId: number | null,
    data: Record<string, unknown>,
  ): void {
    appendSessionEvent(this.deps.db, {
      sessionId: session.id,
      startedAt: session.startedAt,
      at,
      kind,
      userId,
      data,
    });
  }

  /** Appends a signing's entry to the audit trail. */
  audit(
    caller: Caller,
    session: SessionDto,
    action: AuditAction,
    signingId: number,
    data: unknown,
  ): void {
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: caller.user?.id ?? null,
      actor: caller.user?.displayName ?? null,
      action,
      entity: 'signing',
      entityId: signingId,
      caseId: session.caseId,
      data,
    });
  }

  /** Tells the desk and the pages that a signing changed. */
  emit(row: { id: number; session_id: number }, version: number): void {
    this.deps.emit('signing.changed', {
      signingId: row.id,
      sessionId: row.session_id,
      version,
    });
  }
}
