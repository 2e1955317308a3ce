/// <reference lib="webworker" />
/**
 * Encoder worker: one per camera or microphone. Encodes with WebCodecs (H.264 High for
 * video, Opus for audio; realtime, a key frame every second) into a fragmented MP4 with ~1 s
 * fragments, posting every byte back in file order. A file cut off by a crash stays readable
 * up to its last complete fragment (FINDINGS).
 *
 * Timestamps are the devices' own (variable frame rate is kept: resampling a 29.954 fps
 * camera to 30 would invent 88 ms of drift a minute), moved onto the session clock.
 */
import {
  audioTrack,
  chooseEncoder,
  fragmentedOutput,
  lostFrameCounter,
  newStats,
  videoTrack,
  serveWorker,
  WorkerStop,
  type Post,
} from './encode';
import { FileChain } from './fileChain';
import { noteDelivered, portStream, type ToWorker } from './protocol';
import { ReplaceableReader } from './replaceableReader';
import { rtpTimestampOf, SenderClock } from './senderClock';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post: Post = (m, transfer = []) => scope.postMessage(m, transfer);
const stats = newStats();
const stop = new WorkerStop();

async function run(
  m: Extract<ToWorker, { type: 'start-video' | 'start-audio' }>,
): Promise<'stopped' | 'source-ended'> {
  const encoder = m.type === 'start-video' ? await chooseEncoder(m, m.encoder) : 'software';
  const chain = new FileChain(post, stats, (out, previous) => {
    const output = fragmentedOutput(out);
    // A file made after the ladder's last rung is encoded smaller (the encoder scales the
    // frames): width and height even, the bit rate with the area.
    const even = (n: number) => Math.max(2, Math.round((n * stats.scale) / 2) * 2);
    return m.type === 'start-video'
      ? {
          output,
          video: videoTrack(
            output,
            out,
            {
              ...m,
              width: even(m.width),
              height: even(m.height),
              bitrate: Math.round(m.bitrate * stats.scale * stats.scale),
              encoder,
            },
            m.keyFrameIntervalUs,
          ),
          audio: null,
        }
      : {
          output,
          video: null,
          audio: audioTrack(output, out, m.bitrate, previous?.audio?.format()),
        };
  });
  stop.rotate = (at, deadlineMs) => chain.rotate(at, deadlineMs);
  if (m.type === 'start-video') {
    const reader = new ReplaceableReader(m.frames);
    const countLost = lostFrameCounter(stats, m.frameRate);
    stop.cancelRead = () => reader.cancel();
    stop.reattach = (again) => {
      reader.replace(again.frames);
      void again.inset?.cancel().catch(() => {});
    };
    // The capture ladder: at a stepped rate, of every frame the camera gives only that share
    // is kept, evenly (two of three for 20 of 30); the rest are left out, chosen and counted.
    let share = 1;
    let credit = 0;
    stop.rate = (fps, scale) => {
      stats.steppedFps = fps;
      stats.scale = scale;
      share = fps === null ? 1 : Math.min(1, fps / m.frameRate);
      credit = 0;
    };
    // A remote participant's frames: by when the sender took them, not when they arrived.
    const sender = m.senderClock ? new SenderClock() : null;
    try {
      for (;;) {
        const { value: frame, done } = await reader.read();
        if (done) return stop.stopping ? 'stopped' : 'source-ended';
        const takenUs = sender
          ? sender.stamp(frame.timestamp, rtpTimestampOf(frame))
          : frame.timestamp;
        const sessionUs = takenUs - m.mapping.originUs;
        if (stop.past(sessionUs)) {
          frame.close();
          return 'stopped';
        }
        stats.framesIn++;
        noteDelivered(stats, frame);
        countLost(takenUs, sessionUs);
        if (sessionUs < 0) {
          frame.close(); // captured before session time 0
          continue;
        }
        if (share < 1) {
          credit += share;
          if (credit < 1 - 1e-9) {
            stats.framesStepped++;
            frame.close();
            continue;
          }
          credit -= 1;
        }
        stats.framesKept++;
        const file = chain.videoFile(sessionUs);
        chain.noteFirst(file, takenUs, sessionUs);
        const retimed = new VideoFrame(frame, { timestamp: sessionUs });
        frame.close();
        file.video!.encode(retimed);
      }
    } finally {
      await chain.finish();
    }
  }
  const reader = portStream(m.samples).getReader();
  stop.cancelRead = () => void reader.cancel();
  try {
    for (;;) {
      const { value: data, done } = await reader.read();
      if (done) return stop.stopping ? 'stopped' : 'source-ended';
      const sessionUs = data.timestamp - m.mapping.originUs;
      if (stop.past(sessionUs)) {
        data.close();
        return 'stopped';
      }
      stats.framesIn++;
      if (sessionUs < 0) {
        data.close();
        continue;
      }
      stats.framesKept++;
      chain.audio(data, sessionUs, data.timestamp);
      stats.framesEncoded++;
    }
  } finally {
    await chain.finish();
  }
}

serveWorker(
  scope,
  post,
  stats,
  stop,
  (m): m is Extract<ToWorker, { type: 'start-video' | 'start-audio' }> =>
    m.type === 'start-video' || m.type === 'start-audio',
  run,
);
