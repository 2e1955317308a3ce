/**
 * The live room's SFU: one mediasoup worker (the C++ forwarder, a child process) started on
 * first use and supervised by the core. Recording never passes through it, so its crash
 * touches no recorded frame: the worker is started again (after 1 s, doubling to 30 s while
 * it keeps dying), the rooms are told their routers are gone and open them anew.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';

export type Router = types.Router;
export type WebRtcTransport = types.WebRtcTransport;
export type PlainTransport = types.PlainTransport;
export type PipeTransport = types.PipeTransport;
export type Producer = types.Producer;
export type Consumer = types.Consumer;
export type RtpCapabilities = types.RtpCapabilities;
export type RtpParameters = types.RtpParameters;
export type DtlsParameters = types.DtlsParameters;
export type RouterRtpCodecCapability = types.RouterRtpCodecCapability;

/**
 * H.264 as the recorder encodes it and Opus: the codecs the room forwards; the SFU never
 * transcodes. The recorder's stream is High profile (`avc1.640028`); it is offered as High
 * 4:4:4 Predictive (`f400`, level 4.0), a profile whose decoders decode High too, because
 * that is the High-family profile WebRTC receivers list: Debian's Chromium offers Baseline,
 * Main and High 4:4:4 and neither High nor Constrained High. A viewer's own level is allowed
 * (level-asymmetry).
 */
export const ROOM_CODECS: RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48_000,
    channels: 2,
    preferredPayloadType: 100,
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90_000,
    preferredPayloadType: 102,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': 'f40028',
      'level-asymmetry-allowed': 1,
    },
    rtcpFeedback: [
      { type: 'nack' },
      { type: 'nack', parameter: 'pli' },
      { type: 'ccm', parameter: 'fir' },
      { type: 'goog-remb' },
    ],
  },
  // What a remote participant's browser (or node-webrtc) sends by default.
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90_000, preferredPayloadType: 96 },
];

/** What a client needs of a WebRTC transport the SFU made, as plain JSON. */
export function transportParamsOf(t: WebRtcTransport): {
  id: string;
  iceParameters: Record<string, unknown>;
  iceCandidates: Record<string, unknown>[];
  dtlsParameters: Record<string, unknown>;
} {
  return {
    id: t.id,
    iceParameters: t.iceParameters as unknown as Record<string, unknown>,
    iceCandidates: t.iceCandidates as unknown as Record<string, unknown>[],
    dtlsParameters: t.dtlsParameters as unknown as Record<string, unknown>,
  };
}

export interface SfuOptions {
  /** The worker binary (default: mediasoup's own, or MEDIASOUP_WORKER_BIN). */
  workerBin?: string | undefined;
  /** Address the WebRTC transports listen on (default 127.0.0.1: viewers on this machine only). */
  listenIp?: string | undefined;
  /** The address viewers are told to reach (a LAN address when listening on every interface). */
  announcedAddress?: string | undefined;
  /** UDP/TCP ports the worker may use (default 40000–40999). */
  rtcMinPort?: number | undefined;
  rtcMaxPort?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

const FIRST_RESTART_MS = 1000;
const LONGEST_RESTART_MS = 30_000;

export class Sfu {
  private worker: types.Worker | null = null;
  private starting: Promise<types.Worker> | null = null;
  private restartMs = FIRST_RESTART_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly lostListeners = new Set<() => void>();
  /** How many times the worker died (diagnostics, tests). */
  deaths = 0;

  constructor(private readonly options: SfuOptions = {}) {}

  get listenIp(): string {
    return this.options.listenIp ?? '127.0.0.1';
  }

  get announcedAddress(): string | undefined {
    return this.options.announcedAddress;
  }

  /** Called each time the worker dies: every router it held is gone. */
  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** The worker's process id while it runs (tests kill it to check the supervision). */
  pid(): number | null {
    return this.worker?.pid ?? null;
  }

  private log(line: string): void {
    this.options.log?.(`sfu: ${line}`);
  }

  private start(): Promise<types.Worker> {
    if (this.closed) return Promise.reject(new Error('the SFU is closed'));
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= mediasoup
      .createWorker({
        logLevel: 'warn',
        rtcMinPort: this.options.rtcMinPort ?? 40_000,
        rtcMaxPort: this.options.rtcMaxPort ?? 40_999,
        ...(this.options.workerBin ? { workerBin: this.options.workerBin } : {}),
      })
      .then((worker) => {
        this.starting = null;
        if (this.closed) {
          worker.close();
          throw new Error('the SFU is closed');
        }
        this.worker = worker;
        this.log(`worker ${worker.pid} started`);
        worker.on('died', (error) => this.died(worker, error));
        return worker;
      })
      .catch((e: unknown) => {
        this.starting = null;
        throw e;
      });
    return this.starting;
  }

  private died(worker: types.Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.deaths++;
    this.log(
      `worker ${worker.pid} died (${error.message}); starting again in ${this.restartMs} ms`,
    );
    for (const listener of [...this.lostListeners]) listener();
    if (this.closed) return;
    const wait = this.restartMs;
    this.restartMs = Math.min(this.restartMs * 2, LONGEST_RESTART_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start().then(
        () => {
          this.restartMs = FIRST_RESTART_MS;
        },
        (e: unknown) =>
          this.log(`worker did not start: ${e instanceof Error ? e.message : String(e)}`),
      );
    }, wait);
    this.restartTimer.unref();
  }

  /** A router for one room, on a running worker (started when none runs). */
  async router(): Promise<Router> {
    const worker = await this.start();
    return worker.createRouter({ mediaCodecs: ROOM_CODECS });
  }

  /** A WebRTC transport for one viewer. */
  webRtcTransport(router: Router): Promise<WebRtcTransport> {
    return router.createWebRtcTransport({
      listenInfos: [
        {
          protocol: 'udp',
          ip: this.listenIp,
          ...(this.announcedAddress ? { announcedAddress: this.announcedAddress } : {}),
        },
        {
          protocol: 'tcp',
          ip: this.listenIp,
          ...(this.announcedAddress ? { announcedAddress: this.announcedAddress } : {}),
        },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
    });
  }

  /**
   * A plain RTP transport on loopback for the workstation's own frames: the core sends RTP to
   * it and the SFU takes the sender's address from the first packet (comedia).
   */
  plainTransport(router: Router): Promise<PlainTransport> {
    return router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
  }

  /**
   * A pipe transport to another router on another machine (a relay): RTP between the two
   * SFUs as it is, nothing decoded or encoded again.
   */
  pipeTransport(router: Router): Promise<PipeTransport> {
    return router.createPipeTransport({
      listenInfo: {
        protocol: 'udp',
        ip: this.listenIp,
        ...(this.announcedAddress ? { announcedAddress: this.announcedAddress } : {}),
      },
    });
  }

  close(): void {
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.worker?.close();
    this.worker = null;
  }
}

/**
 * The live room's SFU as the workstation's environment sets it: `ATTEST_LIVE_HOST` (the
 * address its transports listen on; default 127.0.0.1, this machine only), and with it
 * `ATTEST_LIVE_ANNOUNCE` (the LAN address observers reach when listening on 0.0.0.0) and
 * `ATTEST_LIVE_PORTS` (`40000-40999`: the range to open in the firewall). The worker binary
 * is MEDIASOUP_WORKER_BIN, else the one packaged beside the app's resources, else mediasoup's.
 */
export function sfuFromEnv(env: NodeJS.ProcessEnv, resourcesDir?: string): { sfu: SfuOptions } {
  const ports = /^(\d{4,5})-(\d{4,5})$/.exec(env.ATTEST_LIVE_PORTS ?? '');
  const packaged = resourcesDir ? join(resourcesDir, 'mediasoup-worker') : null;
  const workerBin =
    env.MEDIASOUP_WORKER_BIN || (packaged && existsSync(packaged) ? packaged : undefined);
  return {
    sfu: {
      ...(env.ATTEST_LIVE_HOST ? { listenIp: env.ATTEST_LIVE_HOST } : {}),
      ...(env.ATTEST_LIVE_ANNOUNCE ? { announcedAddress: env.ATTEST_LIVE_ANNOUNCE } : {}),
      ...(ports && Number(ports[1]) < Number(ports[2])
        ? { rtcMinPort: Number(ports[1]), rtcMaxPort: Number(ports[2]) }
        : {}),
      ...(workerBin ? { workerBin } : {}),
    },
  };
}

/**
 * The relay the workstation's rooms pipe to, as the environment names it: `ATTEST_RELAY_URL`
 * (wss://host:port/relay), `ATTEST_RELAY_FINGERPRINT` (its certificate's SHA-256, as `attest
 * relay` prints it) and `ATTEST_RELAY_SECRET`; `ATTEST_RELAY_NAME` names this workstation
 * among the relay's rooms (default its host name). All three or none.
 */
export function relayFromEnv(env: NodeJS.ProcessEnv): {
  relay?: { url: string; fingerprint: string; secret: string; name: string };
} {
  const url = env.ATTEST_RELAY_URL;
  const fingerprint = env.ATTEST_RELAY_FINGERPRINT;
  const secret = env.ATTEST_RELAY_SECRET;
  if (!url || !fingerprint || !secret) return {};
  return { relay: { url, fingerprint, secret, name: env.ATTEST_RELAY_NAME || hostname() } };
}
