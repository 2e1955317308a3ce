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
import type { LiveWatchDto } from '../../electron/shared/api/live';

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
  };
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
    const t = this.device.createRecvTransport({
      id: w.transport.id,
      iceParameters: w.transport.iceParameters as unknown as types.IceParameters,
      iceCandidates: w.transport.iceCandidates as unknown as types.IceCandidate[],
      dtlsParameters: w.transport.dtlsParameters as unknown as types.DtlsParameters,
    });
    t.on('connect', ({ dtlsParameters }, done, fail) => {
      this.client
        .invoke('live.connect', {
          viewingId: w.viewingId,
          dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
        })
        .then(() => done(), fail);
    });
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
    const consumer = await this.transport!.consume({
      id: c.consumerId,
      producerId: c.producerId,
      kind: c.kind,
      rtpParameters: c.rtpParameters as unknown as types.RtpParameters,
    });
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
    const sink = new wrtc.nonstandard.RTCAudioSink(consumer.track);
    this.sinks.push(sink);
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

  close(): void {
    for (const s of this.sinks) s.stop();
    this.transport?.close();
  }
}
