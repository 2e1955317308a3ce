/**
 * One session's live room on the SFU: a router, a feed per source the desk forwards (the
 * recorder's encoded frames as RTP into a plain transport on loopback, one producer each),
 * and a WebRTC transport per viewer. Frames that arrive while a feed is still being made, or
 * video before its first key frame, are not forwarded (a viewer could not decode them); the
 * recording is untouched by any of it.
 */
import dgram from 'node:dgram';
import {
  h264Packets,
  nalUnitsOf,
  opusPacket,
  parameterSetsOf,
  rtpStream,
  type RtpStream,
} from '../../platform/sfu/rtp';
import {
  ROOM_CODECS,
  type Consumer,
  type PlainTransport,
  type Producer,
  type Router,
  type RtpCapabilities,
  type RtpParameters,
  type Sfu,
  type WebRtcTransport,
} from '../../platform/sfu/sfu';
import type { LiveConsumerDto, LiveSource } from '../../../shared/api/live';
import { AppError } from '../../../shared/errors';
import type { LiveFrameHeader } from '../../../shared/media';

interface Feed {
  source: LiveSource;
  transport: PlainTransport;
  producer: Producer;
  socket: dgram.Socket;
  port: number;
  stream: RtpStream;
  keySeen: boolean;
}

export interface RoomViewer {
  transport: WebRtcTransport;
  consumers: Map<string, Consumer>;
}

function randomSsrc(): number {
  return (Math.floor(Math.random() * 0xfffffff0) + 1) >>> 0;
}

/** The desk's own codecs: Opus, and H.264 as the recorder encodes it. */
function codecOf(kind: 'video' | 'audio') {
  const codec = ROOM_CODECS.find(
    (c) => c.kind === kind && (kind === 'audio' || c.mimeType === 'video/H264'),
  )!;
  return {
    mimeType: codec.mimeType,
    payloadType: codec.preferredPayloadType!,
    clockRate: codec.clockRate,
    ...(codec.channels ? { channels: codec.channels } : {}),
    ...(codec.parameters ? { parameters: codec.parameters } : {}),
  };
}

export class LiveRoom {
  private router: Promise<Router> | null = null;
  private readonly feeds = new Map<string, Feed | 'opening'>();
  private closed = false;
  /** Frames not forwarded, by reason (diagnostics). */
  readonly skipped = { opening: 0, beforeKey: 0, damaged: 0 };
  forwarded = 0;

  constructor(
    private readonly sfu: Sfu,
    public sources: LiveSource[],
    private readonly log: (line: string) => void,
  ) {}

  routerNow(): Promise<Router> {
    if (this.closed) return Promise.reject(new Error('the live room is closed'));
    this.router ??= this.sfu.router().catch((e: unknown) => {
      this.router = null;
      throw e;
    });
    return this.router;
  }

  /** The SFU lost its worker: every router, transport and producer is gone. */
  lost(): void {
    this.router = null;
    this.remote.clear();
    for (const feed of this.feeds.values()) if (feed !== 'opening') feed.socket.close();
    this.feeds.clear();
  }

  forwarding(sourceId: string): boolean {
    const feed = this.feeds.get(sourceId);
    return feed !== undefined && feed !== 'opening';
  }

  /** Producers of remote participants, by producer id. */
  private readonly remote = new Map<string, { producer: Producer; source: LiveSource }>();

  addRemote(producer: Producer, source: LiveSource): void {
    this.remote.set(producer.id, { producer, source });
    producer.observer.once('close', () => this.remote.delete(producer.id));
  }

  producers(): { producerId: string; source: LiveSource }[] {
    const out: { producerId: string; source: LiveSource }[] = [...this.remote.values()].map(
      (r) => ({ producerId: r.producer.id, source: r.source }),
    );
    for (const feed of this.feeds.values()) {
      // A viewer who joins before the next key frame sees the picture from it (within a second).
      if (feed !== 'opening') out.push({ producerId: feed.producer.id, source: feed.source });
    }
    return out;
  }

  /** Forwards one encoded frame of a source the desk named; opens its feed on first use. */
  feed(header: LiveFrameHeader, payload: Uint8Array): void {
    if (this.closed) return;
    const source = this.sources.find(
      (s) => s.sourceId === header.sourceId && s.kind === header.live,
    );
    if (!source) return;
    const feed = this.feeds.get(source.sourceId);
    if (feed === undefined) {
      this.feeds.set(source.sourceId, 'opening');
      this.open(source).then(
        (opened) => {
          if (this.closed || this.feeds.get(source.sourceId) !== 'opening') {
            opened.socket.close();
            opened.transport.close();
            return;
          }
          this.feeds.set(source.sourceId, opened);
        },
        (e: unknown) => {
          this.feeds.delete(source.sourceId);
          this.log(
            `live feed of ${source.sourceId} did not open: ${e instanceof Error ? e.message : String(e)}`,
          );
        },
      );
    }
    if (feed === undefined || feed === 'opening') {
      this.skipped.opening++;
      return;
    }
    let packets: Buffer[];
    try {
      if (header.live === 'audio') packets = [opusPacket(feed.stream, header.ts, payload)];
      else {
        if (header.key && header.avcc) {
          const sets = parameterSetsOf(Buffer.from(header.avcc, 'base64'));
          packets = h264Packets(
            feed.stream,
            header.ts,
            nalUnitsOf(payload, sets.lengthSize),
            sets.units,
          );
          feed.keySeen = true;
        } else if (!feed.keySeen) {
          this.skipped.beforeKey++;
          return;
        } else packets = h264Packets(feed.stream, header.ts, nalUnitsOf(payload));
      }
    } catch {
      this.skipped.damaged++;
      return;
    }
    if (header.live === 'audio') feed.keySeen = true;
    for (const p of packets) feed.socket.send(p, feed.port, '127.0.0.1');
    this.forwarded++;
  }

  private async open(source: LiveSource): Promise<Feed> {
    const router = await this.routerNow();
    const transport = await this.sfu.plainTransport(router);
    const ssrc = randomSsrc();
    const codec = codecOf(source.kind);
    const rtpParameters: RtpParameters = { codecs: [codec], encodings: [{ ssrc }] };
    const producer = await transport.produce({
      kind: source.kind,
      rtpParameters,
      appData: { sourceId: source.sourceId },
    });
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    // Receiver reports and key-frame requests come back here; the recorder makes a key frame
    // every second anyway, so they are read and let go.
    socket.on('message', () => undefined);
    socket.on('error', (e) => this.log(`live feed socket: ${e.message}`));
    socket.unref();
    return {
      source,
      transport,
      producer,
      socket,
      port: transport.tuple.localPort,
      stream: rtpStream(codec.payloadType, ssrc, codec.clockRate),
      keySeen: false,
    };
  }

  /** A viewer's transport on this room's router. */
  async viewer(): Promise<{ router: Router; viewer: RoomViewer }> {
    const router = await this.routerNow();
    const transport = await this.sfu.webRtcTransport(router);
    return { router, viewer: { transport, consumers: new Map() } };
  }

  close(): void {
    this.closed = true;
    this.lost();
    void this.router?.then(
      (r) => r.close(),
      () => undefined,
    );
    this.router = null;
  }
}

/** mediasoup refuses bad parameters with its own errors: they are the caller's input errors. */
export async function sfuInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (
      e instanceof TypeError ||
      /invalid|wrong|missing|not supported|unsupported/i.test(message)
    ) {
      throw new AppError(
        'INVALID_INPUT',
        `the SFU refused the parameters: ${message.slice(0, 200)}`,
      );
    }
    throw e;
  }
}

/**
 * A viewer's consumer of a room's producer, paused until the client has it ready (then
 * {@link resumeOn}); kept with the viewer's consumers, which close with its transport.
 */
export async function consumeOn(
  viewer: RoomViewer,
  producerId: string,
  rtpCapabilities: Record<string, unknown>,
): Promise<LiveConsumerDto> {
  const consumer = await sfuInput(() =>
    viewer.transport.consume({
      producerId,
      rtpCapabilities: rtpCapabilities as unknown as RtpCapabilities,
      paused: true,
    }),
  );
  viewer.consumers.set(consumer.id, consumer);
  return {
    consumerId: consumer.id,
    producerId,
    kind: consumer.kind,
    rtpParameters: consumer.rtpParameters as unknown as Record<string, unknown>,
  };
}

/** The client has one of the viewer's consumers ready: its media flows from now on. */
export async function resumeOn(viewer: RoomViewer, consumerId: string): Promise<null> {
  const consumer = viewer.consumers.get(consumerId);
  if (!consumer) throw new AppError('NOT_FOUND', `no consumer ${consumerId}`);
  await sfuInput(() => consumer.resume());
  return null;
}
