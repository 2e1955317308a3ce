/**
 * Device discovery and checks for the pre-flight: list cameras and microphones, and prove
 * each camera can actually be recorded by encoding one of its frames (some devices, such as
 * depth cameras, deliver frames the encoder refuses: better to learn it now than mid-hearing).
 */
import { cameraConstraints } from './preflightModel';
import { H264_HIGH } from './workerStart';

export interface FoundDevice {
  kind: 'camera' | 'microphone';
  deviceId: string;
  label: string;
}

/** Asks once for access (labels are hidden until then), then lists the devices. */
export async function discoverDevices(): Promise<FoundDevice[]> {
  const probe = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  probe.getTracks().forEach((t) => t.stop());
  const all = await navigator.mediaDevices.enumerateDevices();
  return all
    .filter((d) => (d.kind === 'videoinput' || d.kind === 'audioinput') && d.deviceId !== 'default')
    .map((d) => ({
      kind: d.kind === 'videoinput' ? ('camera' as const) : ('microphone' as const),
      deviceId: d.deviceId,
      label: d.label || d.deviceId.slice(0, 8),
    }));
}

/** Why a camera cannot record, as the officer is told it. */
export type CameraFault = 'open-failed' | 'no-frame' | 'encode-failed' | 'no-output' | 'timed-out';

/**
 * A camera's test: whether its frames encode with the recording's codec, the picture it gives
 * (`width`×`height` at `fps`), or the fault, with the browser's own words for the record.
 */
export type CameraVerdict =
  | { ok: true; width: number; height: number; fps: number }
  | { ok: false; fault: CameraFault; detail: string };

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Encodes one frame of the camera with the recording's codec; resolves with the verdict. */
export async function testEncodeCamera(deviceId: string): Promise<CameraVerdict> {
  let stream: MediaStream | null = null;
  try {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(deviceId) });
    } catch (e) {
      return { ok: false, fault: 'open-failed', detail: why(e) };
    }
    const track = stream.getVideoTracks()[0]!;
    const settings = track.getSettings();
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    const { value: frame } = await reader.read();
    await reader.cancel().catch(() => {});
    if (!frame) return { ok: false, fault: 'no-frame', detail: 'no frame' };
    return await new Promise<CameraVerdict>((resolve) => {
      let done = false;
      const finish = (r: CameraVerdict) => {
        if (done) return;
        done = true;
        resolve(r);
      };
      const encoder = new VideoEncoder({
        output: () =>
          finish({
            ok: true,
            width: settings.width ?? frame.displayWidth,
            height: settings.height ?? frame.displayHeight,
            fps: Math.round(settings.frameRate ?? 0),
          }),
        error: (e) => finish({ ok: false, fault: 'encode-failed', detail: e.message }),
      });
      try {
        encoder.configure({
          codec: H264_HIGH,
          width: frame.displayWidth,
          height: frame.displayHeight,
          bitrate: 2_500_000,
          latencyMode: 'realtime',
          avc: { format: 'avc' },
        });
        encoder.encode(frame, { keyFrame: true });
        void encoder.flush().then(
          () => finish({ ok: false, fault: 'no-output', detail: 'the encoder produced nothing' }),
          (e: unknown) => finish({ ok: false, fault: 'encode-failed', detail: why(e) }),
        );
      } catch (e) {
        finish({ ok: false, fault: 'encode-failed', detail: why(e) });
      } finally {
        frame.close();
      }
      setTimeout(() => finish({ ok: false, fault: 'timed-out', detail: 'timed out' }), 5000);
    });
  } catch (e) {
    return { ok: false, fault: 'encode-failed', detail: why(e) };
  } finally {
    stream?.getTracks().forEach((t) => t.stop());
  }
}

/** Live level (0..1, RMS) of a microphone, for the meter; call the returned stop when done. */
export function levelMeter(stream: MediaStream, onLevel: (level: number) => void): () => void {
  const ctx = new AudioContext();
  const src = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  src.connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  let raf = 0;
  const tick = () => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / buf.length) * 3));
    raf = requestAnimationFrame(tick);
  };
  tick();
  return () => {
    cancelAnimationFrame(raf);
    src.disconnect();
    void ctx.close();
  };
}
