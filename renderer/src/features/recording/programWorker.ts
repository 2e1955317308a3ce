/// <reference lib="webworker" />
/**
 * The program file (合成画面): the main picture with the inset in a corner, and the date and
 * time to the second, the case number and the place burned into the picture, as the Chinese
 * recording norms require, with the main microphone's sound. Paced by the main camera's
 * frames and stamped with their session time, so it lines up with the per-source files.
 */
import {
  audioTrack,
  fragmentedOutput,
  lostFrameCounter,
  newStats,
  chooseEncoder,
  videoTrack,
  serveWorker,
  WorkerStop,
  type Post,
} from './encode';
import { FileChain } from './fileChain';
import { portStream, type ProgramCaption, type ProgramStartMessage } from './protocol';
import { ReplaceableReader } from './replaceableReader';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post: Post = (m, transfer = []) => scope.postMessage(m, transfer);
const stats = newStats();
const stop = new WorkerStop();

/** `2026-11-23 17:45:12` in the session's time zone. */
export function captionClock(caption: ProgramCaption, sessionUs: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: caption.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(caption.startedAtUtc + Math.floor(sessionUs / 1000)));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

function draw(
  ctx: OffscreenCanvasRenderingContext2D,
  m: ProgramStartMessage,
  main: VideoFrame,
  inset: VideoFrame | null,
  sessionUs: number,
) {
  const { width: w, height: h } = m;
  ctx.drawImage(main, 0, 0, w, h);
  if (inset) {
    const iw = Math.round(w * 0.3);
    const ih = Math.round((iw * inset.displayHeight) / Math.max(1, inset.displayWidth));
    const x = w - iw - 16;
    const y = h - ih - 16;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x - 2, y - 2, iw + 4, ih + 4);
    ctx.drawImage(inset, x, y, iw, ih);
  }
  const size = Math.round(h / 24);
  ctx.font = `${size}px "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif`;
  ctx.textBaseline = 'top';
  const lines = [captionClock(m.caption, sessionUs), `${m.caption.caseNo}  ${m.caption.place}`];
  const boxW = Math.max(...lines.map((l) => ctx.measureText(l).width)) + size;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.fillRect(12, 12, boxW, lines.length * size * 1.4 + size * 0.4);
  ctx.fillStyle = '#ffffff';
  lines.forEach((l, i) => ctx.fillText(l, 12 + size / 2, 12 + size * 0.3 + i * size * 1.4));
}

async function run(m: ProgramStartMessage): Promise<'stopped' | 'source-ended'> {
  // The canvas first: without it no file is opened, so none is left unfinished.
  const canvas = new OffscreenCanvas(m.width, m.height);
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('no 2d context for the program picture');
  const encoder = await chooseEncoder(m, m.encoder);
  const chain = new FileChain(
    post,
    stats,
    (out, previous) => {
      const output = fragmentedOutput(out);
      return {
        output,
        video: videoTrack(output, out, { ...m, encoder }, m.keyFrameIntervalUs),
        audio: m.audio ? audioTrack(output, out, 64_000, previous?.audio?.format()) : null,
      };
    },
    false,
  );
  stop.rotate = (at, deadlineMs) => chain.rotate(at, deadlineMs);

  // The inset may come and go while recording (a remote participant's picture joins and
  // leaves): each stream of it is read by its own loop, and the last frame read is drawn.
  let inset: VideoFrame | null = null;
  let insetReader: ReplaceableReader<VideoFrame> | null = null;
  const insetLoops: Promise<void>[] = [];
  const readInset = (stream: ReadableStream<VideoFrame>) => {
    const r = new ReplaceableReader(stream);
    insetReader = r;
    insetLoops.push(
      (async () => {
        for (;;) {
          const { value, done } = await r.read();
          if (done || stop.stopping || insetReader !== r) {
            value?.close();
            // Its source ended (a remote participant's picture is gone): the corner empties,
            // and a later stream is read by a loop of its own.
            if (insetReader === r) {
              insetReader = null;
              inset?.close();
              inset = null;
            }
            return;
          }
          inset?.close();
          inset = value;
        }
      })(),
    );
  };
  if (m.inset) readInset(m.inset);
  const audioLoop = (async () => {
    if (!m.audio) return;
    const r = portStream(m.audio).getReader();
    for (;;) {
      const { value, done } = await r.read();
      if (done) return;
      const sessionUs = value.timestamp - m.audioMapping.originUs;
      if (stop.past(sessionUs)) {
        value.close();
        return;
      }
      if (sessionUs < 0) value.close();
      else chain.audio(value, sessionUs, value.timestamp);
    }
  })();

  const reader = new ReplaceableReader(m.main);
  const countLost = lostFrameCounter(stats, m.frameRate);
  stop.cancelRead = () => {
    reader.cancel();
    insetReader?.cancel();
  };
  stop.reattach = (again) => {
    reader.replace(again.frames);
    if (again.inset && insetReader) insetReader.replace(again.inset);
    else if (again.inset) readInset(again.inset);
    else {
      // No inset now: the corner is empty rather than frozen on a picture that has gone.
      insetReader?.cancel();
      insetReader = null;
      inset?.close();
      inset = null;
    }
  };
  let reason: 'stopped' | 'source-ended';
  try {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done) {
        reason = stop.stopping ? 'stopped' : 'source-ended';
        break;
      }
      const sessionUs = frame.timestamp - m.videoMapping.originUs;
      if (stop.past(sessionUs)) {
        frame.close();
        reason = 'stopped';
        break;
      }
      stats.framesIn++;
      countLost(frame.timestamp, sessionUs);
      if (sessionUs < 0) {
        frame.close();
        continue;
      }
      stats.framesKept++;
      const file = chain.videoFile(sessionUs);
      chain.noteFirst(file, frame.timestamp, sessionUs);
      draw(ctx, m, frame, inset, sessionUs);
      frame.close();
      file.video!.encode(new VideoFrame(canvas, { timestamp: sessionUs }));
    }
  } finally {
    stop.stopping = true;
    // The inset may have stopped delivering: its loop must not hold the file open.
    (insetReader as ReplaceableReader<VideoFrame> | null)?.cancel();
    await Promise.allSettled([...insetLoops, audioLoop]);
    (inset as VideoFrame | null)?.close();
    await chain.finish();
  }
  return reason;
}

serveWorker(
  scope,
  post,
  stats,
  stop,
  (m): m is ProgramStartMessage => m.type === 'start-program',
  run,
);
