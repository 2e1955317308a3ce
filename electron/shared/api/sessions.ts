/**
 * Sessions (询问, 听证, 约谈, 现场检查) of a case: opening, the start that anchors the session
 * clock, the end, and what happens after an interruption (R3.5, R3.7).
 */
import { z } from 'zod';
import {
  AGENT_AUTHORITIES,
  partyInputSchema,
  OFFICER_SESSION_ROLES,
  PARTICIPANT_ROLES,
  SESSION_KINDS,
  idSchema,
  instantSchema,
  officerConfirmationSchema,
  type AgentAuthority,
  type ParticipantRole,
  type SessionDto,
  type SessionKind,
} from '../domain';
import { MAX_HEARING_AGENTS } from '../rules/hearing';
import { optionalText, text } from '../schema';
import { CASE_WRITERS, events, method } from './define';

export const sessionCreateSchema = z
  .object({
    caseId: idSchema,
    kind: z.enum(SESSION_KINDS),
    place: text(200),
    room: optionalText(60),
    /** An inspection's objects and items (检查对象及项目): inspections only. */
    subject: optionalText(500),
    scheduledAt: instantSchema.optional(),
    officers: z
      .array(z.object({ officerId: idSchema, role: z.enum(OFFICER_SESSION_ROLES) }).strict())
      .min(1)
      .max(10),
    participants: z
      .array(
        z
          .object({
            role: z.enum(PARTICIPANT_ROLES),
            partyId: idSchema.optional(),
            name: text(60),
            /** An agent's authority (代理权限): needed for an agent at a hearing. */
            authority: z.enum(AGENT_AUTHORITIES).optional(),
            /** The power of attorney (授权委托书): its date, number or how it was given. */
            mandate: optionalText(200),
            /**
             * The particulars of one who is not a party of the case (a witness questioned), as a
             * party record holds them, for the record's header.
             */
            particulars: partyInputSchema.optional(),
          })
          .strict(),
      )
      .max(30),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = s.officers.map((o) => o.officerId);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: ['officers'], message: 'an officer is listed twice' });
    }
    for (const issue of participantProblems(s.kind, s.participants))
      ctx.addIssue({ code: 'custom', ...issue });
    s.participants.forEach((p, i) => {
      if (p.particulars === undefined) return;
      if (
        p.partyId !== undefined ||
        p.particulars.kind !== 'person' ||
        p.particulars.name !== p.name
      )
        ctx.addIssue({
          code: 'custom',
          path: ['participants', i, 'particulars'],
          message:
            'particulars are those of the person named, who is not a party of the case (a party’s are on the party record)',
        });
    });
    if (s.subject !== undefined && s.kind !== 'inspection')
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: 'only an on-site inspection names its objects and items (检查对象及项目)',
      });
  });

/**
 * What is wrong with a session's participants, by path (one rule for the core and the form):
 * an authority and a power of attorney belong to an agent; at a hearing each agent states
 * their authority, and a party appoints one or two agents (行政处罚法 第六十四条).
 */
export function participantProblems(
  kind: SessionKind,
  participants: readonly {
    role: ParticipantRole;
    authority?: AgentAuthority | undefined;
    mandate?: string | undefined;
  }[],
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  participants.forEach((p, i) => {
    if (p.role !== 'agent' && (p.authority !== undefined || p.mandate !== undefined))
      problems.push({
        path: ['participants', i, 'authority'],
        message: 'only an agent (委托代理人) has an authority and a power of attorney',
      });
    if (kind === 'hearing' && p.role === 'agent' && p.authority === undefined)
      problems.push({
        path: ['participants', i, 'authority'],
        message: 'an agent at a hearing states their authority (代理权限: 一般代理 or 特别授权)',
      });
  });
  const parties = participants.filter((p) => p.role === 'party').length;
  const agents = participants.filter((p) => p.role === 'agent').length;
  if (kind === 'hearing' && agents > MAX_HEARING_AGENTS * Math.max(1, parties))
    problems.push({
      path: ['participants'],
      message: `a party appoints at most ${MAX_HEARING_AGENTS} agents for a hearing (委托一至二人代理)`,
    });
  return problems;
}
export type SessionCreateInput = z.output<typeof sessionCreateSchema>;

export const resumeSchema = z
  .object({
    id: idSchema,
    /** Why the recording was interrupted, as also stated aloud at the start of the new segment (R3.5). */
    reason: text(2000),
  })
  .strict();

/**
 * Two or more of the session's officers stating something together, each in person: the one
 * signed in, the others with their own username and password in `confirmations` (R3.5, R2.2).
 */
export const officersInPersonFields = {
  /** The officers who sign the statement: at least two, all of the session. */
  officerIds: z.array(idSchema).min(2).max(10),
  /**
   * Each listed officer other than the one signed in confirms with their own username and
   * password (a statement is signed by the officers themselves).
   */
  confirmations: z
    .array(officerConfirmationSchema.extend({ officerId: idSchema }).strict())
    .max(10)
    .optional(),
};

/** The checks of {@link officersInPersonFields}: nobody twice, no stray confirmation. */
export function refineOfficersInPerson(
  a: { officerIds: number[]; confirmations?: { officerId: number }[] | undefined },
  ctx: z.RefinementCtx,
): void {
  if (new Set(a.officerIds).size !== a.officerIds.length) {
    ctx.addIssue({ code: 'custom', path: ['officerIds'], message: 'an officer is listed twice' });
  }
  const confirmed = (a.confirmations ?? []).map((c) => c.officerId);
  if (new Set(confirmed).size !== confirmed.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['confirmations'],
      message: 'an officer confirms twice',
    });
  }
  if (confirmed.some((id) => !a.officerIds.includes(id))) {
    ctx.addIssue({
      code: 'custom',
      path: ['confirmations'],
      message: 'a confirmation for an officer who is not listed',
    });
  }
}

export const abandonSchema = z
  .object({
    id: idSchema,
    /** The written statement of why the recording could not resume (R3.5). */
    statement: text(4000),
    ...officersInPersonFields,
  })
  .strict()
  .superRefine(refineOfficersInPerson);
export const sessionsMethods = {
  'sessions.create': method<SessionDto>()(sessionCreateSchema, CASE_WRITERS),
  'sessions.get': method<SessionDto>()(z.object({ id: idSchema }).strict(), 'user'),

  /** Starts a session: session time 0 is now (the recording clock anchors here). */
  'sessions.start': method<SessionDto>()(z.object({ id: idSchema }).strict(), CASE_WRITERS),
  /** Ends a session; `confirm: true` because stopping is never a slip of the hand. */
  'sessions.end': method<SessionDto>()(
    z
      .object({
        id: idSchema,
        confirm: z.literal(true),
        /**
         * When the recording stopped, on the session clock (ms): the written end time comes
         * from the recording itself (R2.4), not from when the last bytes were saved.
         */
        stoppedAtSessionMs: z.number().int().min(0).optional(),
      })
      .strict(),
    CASE_WRITERS,
  ),
  /**
   * Resumes an interrupted session (R3.5): `reason` is why the recording stopped, as also
   * stated aloud at the start of the new segment. New segments are then opened as usual.
   */
  'sessions.resume': method<SessionDto>()(resumeSchema, CASE_WRITERS),
  /**
   * Ends an interrupted session that cannot resume (R3.5): the written statement and the two
   * or more officers of the session who sign it, each in person (the signed-in officer, the
   * others with their own password in `confirmations`). The end time is when the recording
   * stopped.
   */
  'sessions.abandon': method<SessionDto>()(abandonSchema, CASE_WRITERS),
} as const;

export type SessionsEvents = Record<never, never>;
export const SESSIONS_EVENTS = events<SessionsEvents>()([]);
