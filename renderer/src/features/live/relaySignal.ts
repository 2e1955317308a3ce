/**
 * Where an observer's pictures and sound come from: the workstation's own SFU (through the
 * core's live.* methods), or the relay the room is piped to (a case-handling centre's
 * server), reached with the one-time ticket the workstation gave with the viewing. Either
 * way the viewing itself (its access check, its start and end on the record) is the
 * workstation's.
 */
import type { LiveProducerDto, LiveTransportDto } from '@shared/api/live';
import type { Client } from '@shared/client';
import type { RelayAnswer, RelayConsumerDto, RelayWatchDto } from '@shared/relay';

export interface MediaSignal {
  routerRtpCapabilities: Record<string, unknown>;
  transport: LiveTransportDto;
  producers: LiveProducerDto[];
  connect(dtlsParameters: Record<string, unknown>): Promise<void>;
  consume(producerId: string, rtpCapabilities: Record<string, unknown>): Promise<RelayConsumerDto>;
  resume(consumerId: string): Promise<void>;
  /** The sources now (they appear as the desk forwards them). */
  producersNow(): Promise<LiveProducerDto[]>;
  close(): void;
}

/** The workstation's SFU, through the core. */
export function coreSignal(
  client: Client,
  viewingId: number,
  w: Pick<MediaSignal, 'routerRtpCapabilities' | 'transport' | 'producers'>,
): MediaSignal {
  return {
    ...w,
    connect: (dtlsParameters) =>
      client.invoke('live.connect', { viewingId, dtlsParameters }).then(() => undefined),
    consume: (producerId, rtpCapabilities) =>
      client.invoke('live.consume', { viewingId, producerId, rtpCapabilities }),
    resume: (consumerId) =>
      client.invoke('live.resume', { viewingId, consumerId }).then(() => undefined),
    producersNow: () => client.invoke('live.producers', { viewingId }),
    close: () => undefined,
  };
}

/** The relay, over its WebSocket: hello with the ticket, then watch. */
export async function relaySignal(url: string, ticket: string): Promise<MediaSignal> {
  const ws = new WebSocket(url);
  const waiting = new Map<number, (a: RelayAnswer) => void>();
  let next = 1;
  ws.addEventListener('message', (e) => {
    if (typeof e.data !== 'string') return;
    const a = JSON.parse(e.data) as RelayAnswer | { event: string };
    if ('id' in a) waiting.get(a.id)?.(a);
  });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('the relay cannot be reached')), {
      once: true,
    });
  });
  const call = <T>(method: string, params: unknown = {}) =>
    new Promise<T>((resolve, reject) => {
      if (ws.readyState !== WebSocket.OPEN) return reject(new Error('the relay closed'));
      const id = next++;
      waiting.set(id, (a) => {
        waiting.delete(id);
        if (a.ok) resolve(a.result as T);
        else reject(new Error(a.error));
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('hello', { role: 'viewer', ticket });
  const w = await call<RelayWatchDto>('watch');
  return {
    routerRtpCapabilities: w.routerRtpCapabilities,
    transport: w.transport,
    producers: w.producers,
    connect: (dtlsParameters) => call('connect', { dtlsParameters }).then(() => undefined),
    consume: (producerId, rtpCapabilities) =>
      call<RelayConsumerDto>('consume', { producerId, rtpCapabilities }),
    resume: (consumerId) => call('resume', { consumerId }).then(() => undefined),
    producersNow: () => call<LiveProducerDto[]>('producers'),
    close: () => ws.close(1000, 'left'),
  };
}
