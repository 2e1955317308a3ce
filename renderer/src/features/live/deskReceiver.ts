/**
 * The desk's receiving side of its live room: each remote participant's camera and
 * microphone, consumed with mediasoup-client and handed to the recording as sources of the
 * session; their sound is also played in the room, so that everyone present hears them. A
 * source that leaves the room (the participant left or dropped) ends in the recording; it
 * comes back as a new segment when they rejoin.
 */
import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { LiveRemoteDto } from '@shared/api/live';
import type { Client } from '@shared/client';
import { recvTransport, consumerOf } from './transport';

/** What the recording takes of the remote participants. */
export interface RemoteRecorder {
  addRemote(src: {
    sourceId: string;
    kind: 'camera' | 'microphone';
    label: string;
    track: MediaStreamTrack;
  }): Promise<void>;
  endRemote(sourceId: string): Promise<void>;
}

interface Taken {
  sourceId: string;
  consumer: types.Consumer;
  player: HTMLAudioElement | null;
}

export class DeskReceiver {
  private device: Device | null = null;
  private transport: types.Transport | null = null;
  private readonly taken = new Map<string, Taken>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly sessionId: number,
    private readonly recorder: RemoteRecorder,
    /** How the desk names a remote participant's picture or sound (in the UI's language). */
    private readonly labelOf: (r: LiveRemoteDto, kind: 'video' | 'audio') => string,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Takes what the room has now and ends what it no longer has (one sync at a time). */
  sync(remotes: readonly LiveRemoteDto[]): void {
    this.queue = this.queue
      .then(() => this.syncNow(remotes))
      .catch((e: unknown) => {
        // The transport may be gone with the SFU: the next sync starts afresh.
        this.transport?.close();
        this.transport = null;
        this.onError(e);
      });
  }

  private async syncNow(remotes: readonly LiveRemoteDto[]): Promise<void> {
    if (this.closed) return;
    const present = new Map(
      remotes.flatMap((r) =>
        r.producers.map((p) => [p.producerId, { ...p, label: this.labelOf(r, p.kind) }] as const),
      ),
    );
    for (const [producerId, t] of [...this.taken]) {
      if (present.has(producerId) && !t.consumer.closed) continue;
      this.taken.delete(producerId);
      // The file ends at this moment first; then the consumer goes.
      await this.recorder.endRemote(t.sourceId);
      this.release(t);
    }
    for (const [producerId, p] of present) {
      if (this.taken.has(producerId)) continue;
      const transport = await this.transportNow();
      const c = await this.client.invoke('live.desk.consume', {
        sessionId: this.sessionId,
        producerId,
        rtpCapabilities: this.device!.rtpCapabilities as unknown as Record<string, unknown>,
      });
      const consumer = await consumerOf(transport, c);
      await this.client.invoke('live.desk.resume', {
        sessionId: this.sessionId,
        consumerId: c.consumerId,
      });
      const player = p.kind === 'audio' ? playInRoom(consumer.track) : null;
      this.taken.set(producerId, { sourceId: p.sourceId, consumer, player });
      await this.recorder.addRemote({
        sourceId: p.sourceId,
        kind: p.kind === 'video' ? 'camera' : 'microphone',
        label: p.label,
        track: consumer.track,
      });
    }
  }

  private async transportNow(): Promise<types.Transport> {
    if (this.transport && !this.transport.closed) return this.transport;
    const d = await this.client.invoke('live.desk.receive', { sessionId: this.sessionId });
    if (!this.device) {
      this.device = new Device();
      await this.device.load({
        routerRtpCapabilities: d.routerRtpCapabilities as unknown as types.RtpCapabilities,
      });
    }
    const t = recvTransport(this.device, d.transport, (dtlsParameters) =>
      this.client.invoke('live.desk.connect', { sessionId: this.sessionId, dtlsParameters }),
    );
    this.transport = t;
    return t;
  }

  private release(t: Taken): void {
    t.consumer.close();
    if (t.player) {
      t.player.pause();
      t.player.srcObject = null;
      t.player.remove();
    }
  }

  /** The room closed or the desk left it: every remote source ends in the recording. */
  close(): void {
    this.closed = true;
    const taken = [...this.taken.values()];
    this.taken.clear();
    // As in a sync: each file ends at this moment first, then its consumer and the transport go.
    const transport = this.transport;
    void Promise.allSettled(
      taken.map((t) => this.recorder.endRemote(t.sourceId).finally(() => this.release(t))),
    ).then(() => transport?.close());
  }
}

/** The remote participant's voice through the desk's speakers (the room hears them). */
function playInRoom(track: MediaStreamTrack): HTMLAudioElement {
  const player = document.createElement('audio');
  player.autoplay = true;
  player.srcObject = new MediaStream([track]);
  player.hidden = true;
  document.body.append(player);
  void player.play().catch(() => undefined);
  return player;
}
