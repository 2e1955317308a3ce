/**
 * The live room (R6.1, R3.2): the recording desk forwards the frames it already encodes to
 * the SFU beside the core; observers with a grant for the session, or on the case team, watch
 * through it. Every viewing is audited with its start and end; the desk sees who is watching.
 * WebRTC parameters pass through as mediasoup defines them and are checked by the SFU.
 */
import { z } from 'zod';
import { CASE_WRITERS, events, method } from './define';
import { mediaHeaderSchema } from '../media';
import { PARTICIPANT_ROLES, type ParticipantRole } from '../domain';

/** mediasoup's own parameter objects (ICE, DTLS, RTP): checked by the SFU, bounded here. */
const sfuObject = z.record(z.string().max(64), z.unknown());

/**
 * A remote participant's source: `remote-<invitation>-cam` or `-mic`, named by the invitation so
 * that one who drops and rejoins is the same source (its recording goes on in a new segment).
 */
export function remoteSourceId(inviteId: number, kind: 'video' | 'audio'): string {
  return `remote-${inviteId}-${kind === 'video' ? 'cam' : 'mic'}`;
}

/** Whether a source is a remote participant's rather than a device of the desk. */
export const isRemoteSource = (sourceId: string): boolean => sourceId.startsWith('remote-');

export const liveSourceSchema = z
  .object({
    /** The recording source's id (the same as its media frames'). */
    sourceId: mediaHeaderSchema.shape.sourceId,
    kind: z.enum(['video', 'audio']),
    /** What the viewer sees it named: the device number and role, or 合成画面. */
    label: z.string().trim().min(1).max(80),
  })
  .strict();
export type LiveSource = z.infer<typeof liveSourceSchema>;

export interface LiveObserverDto {
  viewingId: number;
  userId: number;
  name: string;
  /** On the team, or under which grant. */
  basis: string;
  since: number;
  address: string | null;
}

/** An observer's note for the record: on the session's timeline, shown at the desk. */
export interface LiveNoteDto {
  at: number;
  /** Session time (µs) of the note; null before the session started. */
  atUs: number | null;
  name: string;
  text: string;
}

/** A one-time invitation for a remote participant (interpreter, lawyer, witness, party). */
export interface LiveInviteDto {
  inviteId: number;
  name: string;
  role: ParticipantRole;
  /** The secret of the invitation: shown once, never stored (only its hash is). */
  token: string;
  /** The page to open, relative to the app's address: `#/join/<token>`. */
  path: string;
  /** The whole address on the LAN (HTTPS), when this workstation offers the room there. */
  lanUrl: string | null;
  expiresAt: number;
}

/** A remote participant in the room now. */
export interface LiveRemoteDto {
  remoteId: number;
  inviteId: number;
  name: string;
  role: ParticipantRole;
  since: number;
  address: string | null;
  /** What they send (their camera and microphone). */
  producers: LiveProducerDto[];
  /** Their identity as checked on video during this visit, or null while not yet checked. */
  identity: { checkedAt: number; checkedBy: string; credential: string } | null;
}

export interface LiveTransportDto {
  id: string;
  iceParameters: Record<string, unknown>;
  iceCandidates: Record<string, unknown>[];
  dtlsParameters: Record<string, unknown>;
}

export interface LiveJoinDto {
  remoteId: number;
  sessionId: number;
  name: string;
  role: ParticipantRole;
  routerRtpCapabilities: Record<string, unknown>;
  /** Their camera and microphone go up this one… */
  send: LiveTransportDto;
  /** …and the room (the program and the room's sound) comes down this one. */
  recv: LiveTransportDto;
  producers: LiveProducerDto[];
}

export interface LiveStatusDto {
  sessionId: number;
  /** Whether the desk forwards this session now. */
  open: boolean;
  sources: (LiveSource & { forwarding: boolean })[];
  observers: LiveObserverDto[];
  /** Notes observers left, oldest first. */
  notes: LiveNoteDto[];
  /** Remote participants in the room now. */
  remotes: LiveRemoteDto[];
  /**
   * The room's pages on the LAN (HTTPS), when this workstation offers them: the address an
   * observer elsewhere opens, and the certificate's SHA-256 fingerprint to check it by.
   */
  lan: LiveLanDto | null;
}

export interface LiveLanDto {
  /** The workstation's LAN origin (https://address:port). */
  origin: string;
  /** The observer page of this session there. */
  watchUrl: string;
  /** SHA-256 of the server certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
}

export interface LiveProducerDto {
  producerId: string;
  sourceId: string;
  kind: 'video' | 'audio';
  label: string;
}

export interface LiveWatchDto {
  viewingId: number;
  sessionId: number;
  /**
   * Where to receive the pictures and sound instead, when the room is piped to a relay (a
   * case-handling centre's server): its address and a one-time ticket for this viewing.
   */
  relay: { url: string; ticket: string } | null;
  routerRtpCapabilities: Record<string, unknown>;
  transport: LiveTransportDto;
  producers: LiveProducerDto[];
}

/** The desk's receiving side of its room: the remote participants' pictures and sound come here to be recorded. */
export interface LiveDeskDto {
  routerRtpCapabilities: Record<string, unknown>;
  transport: LiveTransportDto;
}

export interface LiveConsumerDto {
  consumerId: string;
  producerId: string;
  kind: 'video' | 'audio';
  rtpParameters: Record<string, unknown>;
}

const sessionId = z.number().int().positive();
const viewingId = z.number().int().positive();
const remoteId = z.number().int().positive();
const sfuId = z.string().min(1).max(64);

export const liveMethods = {
  /** The desk starts forwarding a recording session's sources (the case team only). */
  'live.open': method<LiveStatusDto>()(
    z.object({ sessionId, sources: z.array(liveSourceSchema).min(1).max(16) }).strict(),
    CASE_WRITERS,
  ),
  /** The desk stops forwarding; every viewing of the session ends (audited). */
  'live.close': method<{ ended: number }>()(z.object({ sessionId }).strict(), CASE_WRITERS),
  /** What the desk forwards and who is watching. */
  'live.status': method<LiveStatusDto>()(z.object({ sessionId }).strict(), CASE_WRITERS),
  /**
   * An observer starts watching: the access check (the case team, or a viewing grant covering
   * the session; a refusal is audited), then the viewing is audited and a transport opened.
   */
  'live.watch': method<LiveWatchDto>()(
    z.object({ sessionId, grantId: z.number().int().positive().optional() }).strict(),
    'user',
  ),
  'live.connect': method<null>()(
    z.object({ viewingId, dtlsParameters: sfuObject }).strict(),
    'user',
  ),
  /** A consumer of one source, paused until `live.resume` (so no key frame is missed). */
  'live.consume': method<LiveConsumerDto>()(
    z
      .object({ viewingId, producerId: z.string().min(1).max(64), rtpCapabilities: sfuObject })
      .strict(),
    'user',
  ),
  'live.resume': method<null>()(
    z.object({ viewingId, consumerId: z.string().min(1).max(64) }).strict(),
    'user',
  ),
  /** The sources the observer may consume now (they appear as the desk forwards them). */
  'live.producers': method<LiveProducerDto[]>()(z.object({ viewingId }).strict(), 'user'),
  /**
   * A note for the record from an observer who is watching (a question, something seen):
   * put on the session's timeline at this moment of the session clock and shown at the desk.
   */
  'live.note': method<LiveNoteDto>()(
    z.object({ viewingId, text: z.string().trim().min(1).max(500) }).strict(),
    'user',
  ),
  /** The observer stops watching (also when the connection closes); the end is audited. */
  'live.leave': method<null>()(z.object({ viewingId }).strict(), 'user'),
  /**
   * The desk invites a remote participant: a one-time token for the join page, valid for the
   * session's recording (four hours at most); only its hash is kept. Audited (without it).
   */
  'live.invite': method<LiveInviteDto>()(
    z
      .object({
        sessionId,
        name: z.string().trim().min(1).max(60),
        role: z.enum(PARTICIPANT_ROLES),
      })
      .strict(),
    CASE_WRITERS,
  ),
  /**
   * A remote participant joins with the invitation's token (no account: the token is the
   * right, for this session only and one connection at a time). Audited.
   */
  'live.join': method<LiveJoinDto>()(
    z
      .object({
        token: z
          .string()
          .min(20)
          .max(100)
          .regex(/^[A-Za-z0-9_-]+$/),
      })
      .strict(),
    'public',
  ),
  'live.remote.connect': method<null>()(
    z.object({ remoteId, direction: z.enum(['send', 'recv']), dtlsParameters: sfuObject }).strict(),
    'public',
  ),
  /** The remote participant's camera or microphone into the room. */
  'live.remote.produce': method<{ producerId: string }>()(
    z.object({ remoteId, kind: z.enum(['video', 'audio']), rtpParameters: sfuObject }).strict(),
    'public',
  ),
  'live.remote.consume': method<LiveConsumerDto>()(
    z.object({ remoteId, producerId: sfuId, rtpCapabilities: sfuObject }).strict(),
    'public',
  ),
  'live.remote.resume': method<null>()(
    z.object({ remoteId, consumerId: sfuId }).strict(),
    'public',
  ),
  'live.remote.leave': method<null>()(z.object({ remoteId }).strict(), 'public'),
  /**
   * An officer at the desk checks a remote participant's identity on video (the credential
   * they hold up: its kind and number) before they take part: a step on the session's
   * timeline, in the written record and the audit trail. Again after a rejoin.
   */
  'live.checkIdentity': method<LiveRemoteDto>()(
    z.object({ sessionId, remoteId, credential: z.string().trim().min(4).max(80) }).strict(),
    CASE_WRITERS,
  ),
  /**
   * The recording desk receives the remote participants' cameras and microphones to record
   * them as sources of the session: one receiving transport per room, the desk's only.
   */
  'live.desk.receive': method<LiveDeskDto>()(z.object({ sessionId }).strict(), CASE_WRITERS),
  'live.desk.connect': method<null>()(
    z.object({ sessionId, dtlsParameters: sfuObject }).strict(),
    CASE_WRITERS,
  ),
  /** A remote participant's source, paused until `live.desk.resume`. */
  'live.desk.consume': method<LiveConsumerDto>()(
    z.object({ sessionId, producerId: sfuId, rtpCapabilities: sfuObject }).strict(),
    CASE_WRITERS,
  ),
  'live.desk.resume': method<null>()(
    z.object({ sessionId, consumerId: sfuId }).strict(),
    CASE_WRITERS,
  ),
} as const;

// The desk reads who is watching with `live.status`: the names of observers go to the case
// team only, not to every signed-in window as an event would.
export type LiveEvents = Record<never, never>;
export const LIVE_EVENTS = events<LiveEvents>()([]);
