/**
 * The relay's wire (`attest relay`): a mediasoup router on a server to which interview rooms
 * pipe their live producers (mediasoup pipe transports: RTP as it is, nothing decoded again)
 * and at which observers receive them, so a case-handling centre watches many rooms without
 * any room's workstation sending more than once.
 *
 * JSON over a WebSocket (wss, the relay's own certificate pinned by its fingerprint). The
 * first request is `hello`: a room's workstation with the relay's shared secret, or an
 * observer with a ticket its workstation issued after the access check (the viewing is
 * audited there, not here). A request is `{id, method, params}`, an answer `{id, ok, result}`
 * or `{id, ok: false, error}`; the relay tells a room `{event: 'viewer.ended', params}`.
 */
import { z } from 'zod';

const room = z.string().min(1).max(80);
const sfuId = z.string().min(1).max(64);
const sfuObject = z.record(z.string(), z.unknown());
const ticket = z
  .string()
  .min(20)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/);

export const relayHello = z.discriminatedUnion('role', [
  z.object({ role: z.literal('room'), secret: z.string().min(16).max(200) }).strict(),
  z.object({ role: z.literal('viewer'), ticket }).strict(),
]);

/** What a room's workstation asks of the relay. */
export const relayRoomMethods = {
  'room.open': z.object({ room }).strict(),
  'room.connect': z
    .object({ room, ip: z.string().min(1).max(64), port: z.number().int().min(1).max(65535) })
    .strict(),
  'room.produce': z
    .object({
      room,
      producerId: sfuId,
      kind: z.enum(['audio', 'video']),
      rtpParameters: sfuObject,
      paused: z.boolean(),
      sourceId: z.string().min(1).max(64),
      label: z.string().min(1).max(80),
    })
    .strict(),
  'room.unproduce': z.object({ room, producerId: sfuId }).strict(),
  'room.ticket': z.object({ room, ticket, expiresAt: z.number().int().positive() }).strict(),
  'room.revoke': z.object({ room, ticket }).strict(),
  'room.close': z.object({ room }).strict(),
} as const;

/** What an observer with a ticket asks of the relay. */
export const relayViewerMethods = {
  watch: z.object({}).strict(),
  connect: z.object({ dtlsParameters: sfuObject }).strict(),
  consume: z.object({ producerId: sfuId, rtpCapabilities: sfuObject }).strict(),
  resume: z.object({ consumerId: sfuId }).strict(),
  producers: z.object({}).strict(),
} as const;

export interface RelayProducerDto {
  producerId: string;
  kind: 'audio' | 'video';
  sourceId: string;
  label: string;
}

export interface RelayWatchDto {
  routerRtpCapabilities: Record<string, unknown>;
  transport: {
    id: string;
    iceParameters: Record<string, unknown>;
    iceCandidates: Record<string, unknown>[];
    dtlsParameters: Record<string, unknown>;
  };
  producers: RelayProducerDto[];
}

export interface RelayConsumerDto {
  consumerId: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: Record<string, unknown>;
}

export type RelayRequest = { id: number; method: string; params?: unknown };
export type RelayAnswer =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export type RelayEvent = { event: 'viewer.ended'; params: { room: string; ticket: string } };

/** The relay's origin (wss://host:port) from its address, for a page's `connect-src`; null if none. */
export function relayOrigin(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'wss:' ? `wss://${u.host}` : null;
  } catch {
    return null;
  }
}
