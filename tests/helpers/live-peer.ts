/**
 * A headless observer of the live room: mediasoup-client in Node on @roamhq/wrtc (the
 * maintained node-webrtc), signalling through the core's contract like the observer page.
 * It receives sound as PCM (wrtc's audio sink); wrtc has no H.264 decoder, so pictures are
 * watched in Chromium.
 */
import wrtcModule from '@roamhq/wrtc';
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { Client } from '../../electron/shared/client';
import type { LiveConsumerDto, LiveJoinDto, LiveWatchDto } from '../../electron/shared/api/live';
import { RelayConnection } from '../../electron/core/platform/sfu/relay-client';
import type { RelayConsumerDto, RelayWatchDto } from '../../electron/shared/relay';

/** What is used of wrtc (its own types name the DOM's, which Node's lib lacks). */
interface Wrtc {
  RTCPeerConnection: unknown;
  RTCSessionDescription: unknown;
  RTCIceCandidate: unknown;
  MediaStream: unknown;
  MediaStreamTrack: unknown;
  nonstandard: {
    RTCAudioSink: new (track: unknown) => {
      stop(): void;
      ondata: ((d: { samples: Int16Array; channelCount: number }) => void) | null;
    };
    RTCVideoSink: new (track: unknown) => {
      stop(): void;
      onframe: ((e: { frame: { width: number; height: number; data: Uint8Array } }) => void) | null;
    };
    RTCAudioSource: new () => {
      createTrack(): unknown;
      onData(d: {
        samples: Int16Array;
        sampleRate: number;
        bitsPerSample: number;
        channelCount: number;
        numberOfFrames: number;
      }): void;
    };
    RTCVideoSource: new () => {
      createTrack(): unknown;
      onFrame(f: { width: number; height: number; data: Uint8Array }): void;
    };
  };
}

/** The synthetic picture of a headless participant: 320x240 I420, a frame counter in 16 blocks. */
export const PICTURE = {
  width: 320,
  height: 240,
  band: { y: 100, height: 40 },
  blocks: 16,
} as const;

function counterPicture(n: number): Uint8Array {
  const { width: w, height: h, band, blocks } = PICTURE;
  const data = new Uint8Array((w * h * 3) / 2).fill(128);
  data.fill(60, 0, w * h);
  const bw = w / blocks;
  for (let y = band.y; y < band.y + band.height; y++)
    for (let b = 0; b < blocks; b++)
      data.fill((n >> (blocks - 1 - b)) & 1 ? 235 : 16, y * w + b * bw, y * w + (b + 1) * bw);
  return data;
}

/** The counter of a picture made by {@link counterPicture}, read from its luma (null: unreadable). */
export function counterOf(frame: {
  width: number;
  height: number;
  data: Uint8Array;
}): number | null {
  if (frame.width !== PICTURE.width || frame.height !== PICTURE.height) return null;
  const y = PICTURE.band.y + PICTURE.band.height / 2;
  const bw = PICTURE.width / PICTURE.blocks;
  let n = 0;
  for (let b = 0; b < PICTURE.blocks; b++) {
    const v = frame.data[y * PICTURE.width + b * bw + bw / 2]!;
    if (v > 100 && v < 160) return null;
    n = (n << 1) | (v >= 160 ? 1 : 0);
  }
  return n;
}
const wrtc = wrtcModule as unknown as Wrtc;

let installed = false;
function installWebRtc(): void {
  if (installed) return;
  installed = true;
  Object.assign(globalThis, {
    RTCPeerConnection: wrtc.RTCPeerConnection,
    RTCSessionDescription: wrtc.RTCSessionDescription,
    RTCIceCandidate: wrtc.RTCIceCandidate,
    MediaStream: wrtc.MediaStream,
    MediaStreamTrack: wrtc.MediaStreamTrack,
  });
}

export interface HeardSound {
  /** Samples received (mono, first channel). */
  samples: number;
  /** Sign changes a second: twice the frequency of a pure tone. */
  crossingsPerSecond(): number;
  /** Root mean square of the last second, 0..1. */
  level(): number;
}

/** The client side of a consumer the core made. */
/** A receiving transport on the client side, its DTLS parameters sent back through `connect`. */
function recvTransportFor(
  device: Device,
  t: LiveWatchDto['transport'],
  connect: (dtlsParameters: Record<string, unknown>) => Promise<unknown>,
): types.Transport {
  const transport = device.createRecvTransport({
    id: t.id,
    iceParameters: t.iceParameters as unknown as types.IceParameters,
    iceCandidates: t.iceCandidates as unknown as types.IceCandidate[],
    dtlsParameters: t.dtlsParameters as unknown as types.DtlsParameters,
  });
  transport.on('connect', ({ dtlsParameters }, done, fail) => {
    connect(dtlsParameters as unknown as Record<string, unknown>).then(() => done(), fail);
  });
  return transport;
}

function consumerFor(transport: types.Transport, c: LiveConsumerDto): Promise<types.Consumer> {
  return transport.consume({
    id: c.consumerId,
    producerId: c.producerId,
    kind: c.kind,
    rtpParameters: c.rtpParameters as unknown as types.RtpParameters,
  });
}

/** What reaches a headless peer's ears from an audio consumer. */
function seeCounters(consumer: types.Consumer, sinks: { stop(): void }[]): { counters: number[] } {
  const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
  sinks.push(sink);
  const seen = { counters: [] as number[] };
  sink.onframe = ({ frame }) => {
    const n = counterOf(frame);
    if (n !== null) seen.counters.push(n);
  };
  return seen;
}

function listenTo(consumer: types.Consumer, sinks: { stop(): void }[]): HeardSound {
  const sink = new wrtc.nonstandard.RTCAudioSink(consumer.track);
  sinks.push(sink);
  const recent: { at: number; crossings: number; sumSq: number; n: number }[] = [];
  let samples = 0;
  let last = 0;
  sink.ondata = (d: { samples: Int16Array; channelCount: number }) => {
    let crossings = 0;
    let sumSq = 0;
    let n = 0;
    for (let i = 0; i < d.samples.length; i += d.channelCount) {
      const v = d.samples[i]!;
      if (v >= 0 !== last >= 0) crossings++;
      last = v;
      sumSq += (v / 32768) ** 2;
      n++;
    }
    samples += n;
    recent.push({ at: Date.now(), crossings, sumSq, n });
    while (recent.length && recent[0]!.at < Date.now() - 1000) recent.shift();
  };
  return {
    get samples() {
      return samples;
    },
    crossingsPerSecond() {
      const n = recent.reduce((s, r) => s + r.n, 0);
      return n ? (recent.reduce((s, r) => s + r.crossings, 0) * 48_000) / n : 0;
    },
    level() {
      const n = recent.reduce((s, r) => s + r.n, 0);
      return n ? Math.sqrt(recent.reduce((s, r) => s + r.sumSq, 0) / n) : 0;
    },
  };
}

export class LiveObserver {
  readonly device: Device;
  transport: types.Transport | null = null;
  watch: LiveWatchDto | null = null;
  private readonly sinks: { stop(): void }[] = [];

  constructor(private readonly client: Client) {
    installWebRtc();
    this.device = new Device({ handlerName: 'Chrome111' });
  }

  async join(sessionId: number, grantId?: number): Promise<LiveWatchDto> {
    const w = await this.client.invoke('live.watch', {
      sessionId,
      ...(grantId ? { grantId } : {}),
    });
    this.watch = w;
    if (!this.device.loaded) {
      await this.device.load({
        routerRtpCapabilities: w.routerRtpCapabilities as unknown as types.RtpCapabilities,
      });
    }
    const t = recvTransportFor(this.device, w.transport, (dtlsParameters) =>
      this.client.invoke('live.connect', { viewingId: w.viewingId, dtlsParameters }),
    );
    this.transport = t;
    return w;
  }

  /** Consumes one source and resumes it; the consumer's track. */
  async consume(producerId: string): Promise<types.Consumer> {
    const w = this.watch!;
    const c = await this.client.invoke('live.consume', {
      viewingId: w.viewingId,
      producerId,
      rtpCapabilities: this.device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    const consumer = await consumerFor(this.transport!, c);
    await this.client.invoke('live.resume', { viewingId: w.viewingId, consumerId: c.consumerId });
    return consumer;
  }

  /**
   * A consumer the SFU forwards to this observer without one here to read it (a picture wrtc
   * cannot decode): the SFU's whole cost of a viewer, for the benchmark. Needs the transport
   * connected (consume a sound first).
   */
  async forward(producerId: string): Promise<void> {
    const w = this.watch!;
    const c = await this.client.invoke('live.consume', {
      viewingId: w.viewingId,
      producerId,
      rtpCapabilities: w.routerRtpCapabilities,
    });
    await this.client.invoke('live.resume', { viewingId: w.viewingId, consumerId: c.consumerId });
  }

  /** What reaches the observer's ears from an audio consumer. */
  listen(consumer: types.Consumer): HeardSound {
    return listenTo(consumer, this.sinks);
  }

  /** The counters of the pictures reaching the observer from a video consumer (VP8: wrtc decodes it). */
  see(consumer: types.Consumer): { counters: number[] } {
    return seeCounters(consumer, this.sinks);
  }

  close(): void {
    for (const s of this.sinks) s.stop();
    this.transport?.close();
  }
}

/**
 * An observer at the relay, headless: admitted by the ticket the workstation gave with its
 * viewing (after its access check), receiving there what the room piped.
 */
export class RelayViewer {
  readonly device = new Device({ handlerName: 'Chrome111' });
  private conn: RelayConnection | null = null;
  private transport: types.Transport | null = null;
  private readonly sinks: { stop(): void }[] = [];
  watch: RelayWatchDto | null = null;

  constructor() {
    installWebRtc();
  }

  async enter(url: string, fingerprint: string, ticket: string): Promise<RelayWatchDto> {
    const conn = await RelayConnection.open(url, fingerprint, { role: 'viewer', ticket });
    this.conn = conn;
    const w = await conn.call<RelayWatchDto>('watch');
    this.watch = w;
    await this.device.load({
      routerRtpCapabilities: w.routerRtpCapabilities as unknown as types.RtpCapabilities,
    });
    const t = recvTransportFor(this.device, w.transport, (dtlsParameters) =>
      conn.call('connect', { dtlsParameters }),
    );
    this.transport = t;
    return w;
  }

  async consume(producerId: string): Promise<types.Consumer> {
    const c = await this.conn!.call<RelayConsumerDto>('consume', {
      producerId,
      rtpCapabilities: this.device.rtpCapabilities,
    });
    const consumer = await consumerFor(this.transport!, c);
    await this.conn!.call('resume', { consumerId: c.consumerId });
    return consumer;
  }

  listen(consumer: types.Consumer): HeardSound {
    return listenTo(consumer, this.sinks);
  }

  /** A source the relay forwards without one here to read it (a benchmark's picture). */
  async forward(producerId: string): Promise<void> {
    const c = await this.conn!.call<RelayConsumerDto>('consume', {
      producerId,
      rtpCapabilities: this.watch!.routerRtpCapabilities,
    });
    await this.conn!.call('resume', { consumerId: c.consumerId });
  }

  close(): void {
    for (const s of this.sinks) s.stop();
    this.transport?.close();
    this.conn?.close();
  }
}

/**
 * The recording desk's receiving side, headless: what the desk gets of a remote participant
 * to record (in the app the desk's page records it; here the pictures are read back).
 */
export class DeskReceiver {
  readonly device = new Device({ handlerName: 'Chrome111' });
  private transport: types.Transport | null = null;
  private readonly sinks: { stop(): void }[] = [];

  constructor(
    private readonly client: Client,
    private readonly sessionId: number,
  ) {
    installWebRtc();
  }

  async receive(): Promise<void> {
    const d = await this.client.invoke('live.desk.receive', { sessionId: this.sessionId });
    if (!this.device.loaded)
      await this.device.load({
        routerRtpCapabilities: d.routerRtpCapabilities as unknown as types.RtpCapabilities,
      });
    const t = recvTransportFor(this.device, d.transport, (dtlsParameters) =>
      this.client.invoke('live.desk.connect', { sessionId: this.sessionId, dtlsParameters }),
    );
    this.transport = t;
  }

  async consume(producerId: string): Promise<types.Consumer> {
    const c = await this.client.invoke('live.desk.consume', {
      sessionId: this.sessionId,
      producerId,
      rtpCapabilities: this.device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    const consumer = await consumerFor(this.transport!, c);
    await this.client.invoke('live.desk.resume', {
      sessionId: this.sessionId,
      consumerId: c.consumerId,
    });
    return consumer;
  }

  see(consumer: types.Consumer): { counters: number[] } {
    return seeCounters(consumer, this.sinks);
  }

  listen(consumer: types.Consumer): HeardSound {
    return listenTo(consumer, this.sinks);
  }

  close(): void {
    for (const s of this.sinks) s.stop();
    this.transport?.close();
  }
}

/**
 * A headless remote participant (an interpreter at home, say): joins with the invitation's
 * token, sends a counter picture and a tone, and hears the room.
 */
export class RemoteParticipant {
  readonly device = new Device({ handlerName: 'Chrome111' });
  join: LiveJoinDto | null = null;
  private send: types.Transport | null = null;
  private recv: types.Transport | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sinks: { stop(): void }[] = [];
  /** Pictures sent so far (the next counter). */
  sent = 0;
  /** When each counter was sent (wall clock ms, by counter). */
  readonly sentAt: number[] = [];

  constructor(readonly client: Client) {
    installWebRtc();
  }

  async enter(token: string): Promise<LiveJoinDto> {
    const j = await this.client.invoke('live.join', { token });
    this.join = j;
    if (!this.device.loaded)
      await this.device.load({
        routerRtpCapabilities: j.routerRtpCapabilities as unknown as types.RtpCapabilities,
      });
    const params = (t: LiveJoinDto['send']) => ({
      id: t.id,
      iceParameters: t.iceParameters as unknown as types.IceParameters,
      iceCandidates: t.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: t.dtlsParameters as unknown as types.DtlsParameters,
    });
    const connect =
      (direction: 'send' | 'recv') =>
      (
        { dtlsParameters }: { dtlsParameters: types.DtlsParameters },
        done: () => void,
        fail: (e: Error) => void,
      ) => {
        this.client
          .invoke('live.remote.connect', {
            remoteId: j.remoteId,
            direction,
            dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
          })
          .then(() => done(), fail);
      };
    this.send = this.device.createSendTransport(params(j.send));
    this.send.on('connect', connect('send'));
    this.send.on('produce', ({ kind, rtpParameters }, done, fail) => {
      this.client
        .invoke('live.remote.produce', {
          remoteId: j.remoteId,
          kind,
          rtpParameters: rtpParameters as unknown as Record<string, unknown>,
        })
        .then(({ producerId }) => done({ id: producerId }), fail);
    });
    this.recv = this.device.createRecvTransport(params(j.recv));
    this.recv.on('connect', connect('recv'));
    return j;
  }

  /** Sends a tone of `hz` and the counter picture at 30 fps, in real time. */
  async sendMedia(hz: number): Promise<void> {
    const audio = new wrtc.nonstandard.RTCAudioSource();
    const video = new wrtc.nonstandard.RTCVideoSource();
    let phase = 0;
    this.timers.push(
      setInterval(() => {
        const samples = new Int16Array(480);
        for (let i = 0; i < 480; i++)
          samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * hz * phase++) / 48_000));
        audio.onData({
          samples,
          sampleRate: 48_000,
          bitsPerSample: 16,
          channelCount: 1,
          numberOfFrames: 480,
        });
      }, 10),
      setInterval(() => {
        this.sentAt.push(Date.now());
        video.onFrame({
          width: PICTURE.width,
          height: PICTURE.height,
          data: counterPicture(this.sent++),
        });
      }, 33),
    );
    await this.send!.produce({ track: audio.createTrack() as never });
    await this.send!.produce({ track: video.createTrack() as never });
  }

  /** What the participant hears of the room (its sound, forwarded by the desk). */
  async hear(producerId: string): Promise<HeardSound> {
    const j = this.join!;
    const c = await this.client.invoke('live.remote.consume', {
      remoteId: j.remoteId,
      producerId,
      rtpCapabilities: this.device.rtpCapabilities as unknown as Record<string, unknown>,
    });
    const consumer = await consumerFor(this.recv!, c);
    await this.client.invoke('live.remote.resume', {
      remoteId: j.remoteId,
      consumerId: c.consumerId,
    });
    return listenTo(consumer, this.sinks);
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sinks) s.stop();
    this.send?.close();
    this.recv?.close();
  }
}
