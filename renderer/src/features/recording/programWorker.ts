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
import {
  blendOverlay,
  evenSize,
  fillRect,
  insetRect,
  newI420,
  nv12ToI420,
  overlayFromRgba,
  scaleInto,
  white,
  type I420,
  type Overlay,
} from './programPicture';
import {
  noteDelivered,
  portStream,
  type ProgramCaption,
  type ProgramStartMessage,
} from './protocol';
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
    const r = insetRect(w, h, inset.displayWidth, inset.displayHeight);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(r.x - 2, r.y - 2, r.w + 4, r.h + 4);
    ctx.drawImage(inset, r.x, r.y, r.w, r.h);
  }
  const lines = captionLines(m, sessionUs);
  drawCaption(ctx, lines, captionBox(ctx, h, lines), 12, 12);
}

const captionFont = (size: number) =>
  `${size}px "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif`;

/** The caption box's font size and extent for these lines in a picture `height` high. */
function captionBox(ctx: OffscreenCanvasRenderingContext2D, height: number, lines: string[]) {
  const size = Math.round(height / 24);
  ctx.font = captionFont(size);
  const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + size;
  return { size, w, h: lines.length * size * 1.4 + size * 0.4 };
}

/** Draws the caption's box (black at 55%) and its lines (white) with the box's corner at (x, y). */
function drawCaption(
  ctx: OffscreenCanvasRenderingContext2D,
  lines: string[],
  box: { size: number; w: number; h: number },
  x: number,
  y: number,
) {
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.fillRect(x, y, box.w, box.h);
  ctx.font = captionFont(box.size);
  ctx.textBaseline = 'top';
  ctx.fillStyle = '#ffffff';
  lines.forEach((l, i) =>
    ctx.fillText(l, x + box.size / 2, y + box.size * 0.3 + i * box.size * 1.4),
  );
}

/** The caption's two lines: the date and time to the second, the case number and place. */
function captionLines(m: ProgramStartMessage, sessionUs: number): string[] {
  return [captionClock(m.caption, sessionUs), `${m.caption.caseNo}  ${m.caption.place}`];
}

/**
 * Copies a frame's visible picture into `into` (resized to it) when it is I420 or NV12 with
 * even sides; false otherwise (the canvas draws that frame). The copy is started before this
 * returns its promise, so the frame may be closed while it is awaited.
 */
function readI420(frame: VideoFrame, into: I420, scratch: { nv12: Uint8Array }): Promise<boolean> {
  const { width: w, height: h } = frame.visibleRect ?? { width: 0, height: 0 };
  if (!evenSize(w, h) || (frame.format !== 'I420' && frame.format !== 'NV12'))
    return Promise.resolve(false);
  if (into.width !== w || into.height !== h) Object.assign(into, newI420(w, h));
  if (frame.format === 'I420') {
    const q = (w / 2) * (h / 2);
    return frame
      .copyTo(into.data, {
        layout: [
          { offset: 0, stride: w },
          { offset: w * h, stride: w / 2 },
          { offset: w * h + q, stride: w / 2 },
        ],
      })
      .then(() => true);
  }
  if (scratch.nv12.length !== into.data.length) scratch.nv12 = new Uint8Array(into.data.length);
  const nv12 = scratch.nv12;
  return frame
    .copyTo(nv12, {
      layout: [
        { offset: 0, stride: w },
        { offset: w * h, stride: w },
      ],
    })
    .then(() => {
      nv12ToI420(nv12, into);
      return true;
    });
}

/**
 * The program picture in I420 (see programPicture.ts): the main frame's planes copied when it
 * has the program's size, the inset scaled once per inset frame, the caption made once per
 * second. `compose` answers null when a frame cannot be taken this way.
 */
class I420Program {
  private readonly picture: I420;
  private readonly insetFrame = newI420(2, 2);
  private readonly insetScaled = newI420(2, 2);
  /** Where the scaled inset goes in the picture. */
  private insetAt = { x: 0, y: 0, w: 0, h: 0 };
  private insetOf: VideoFrame | null = null;
  /** NV12 copies, one per picture read (the main and the inset are read at once). */
  private readonly mainScratch = { nv12: new Uint8Array(0) };
  private readonly insetScratch = { nv12: new Uint8Array(0) };
  private caption: { key: string; overlay: Overlay } | null = null;
  private captionCanvas: OffscreenCanvas | null = null;

  constructor(private readonly m: ProgramStartMessage) {
    this.picture = newI420(m.width, m.height);
  }

  async compose(main: VideoFrame, inset: VideoFrame | null, sessionUs: number) {
    const { width: w, height: h } = this.m;
    const fullRange = main.colorSpace.fullRange ?? false;
    const colorSpace = main.colorSpace.toJSON();
    if (main.visibleRect?.width !== w || main.visibleRect?.height !== h) return null;
    // A copy refused (a frame closed under it) leaves the frame to the canvas.
    const mainRead = readI420(main, this.picture, this.mainScratch).catch(() => false);
    const insetRead =
      inset && inset !== this.insetOf
        ? readI420(inset, this.insetFrame, this.insetScratch).catch(() => false)
        : Promise.resolve(true);
    if (!(await mainRead)) return null;
    if (inset && inset !== this.insetOf) {
      // The inset loop may replace the frame meanwhile: its copy was already taken.
      if (!(await insetRead)) return null;
      this.insetOf = inset;
      const r = insetRect(w, h, this.insetFrame.width, this.insetFrame.height);
      this.insetAt = r;
      Object.assign(this.insetScaled, newI420(r.w, r.h));
      scaleInto(this.insetFrame, this.insetScaled, 0, 0, r.w, r.h);
    }
    if (inset) {
      const r = this.insetAt;
      fillRect(this.picture, r.x - 2, r.y - 2, r.w + 4, r.h + 4, white(fullRange));
      scaleInto(this.insetScaled, this.picture, r.x, r.y, r.w, r.h);
    }
    const overlay = this.captionOverlay(captionLines(this.m, sessionUs), fullRange);
    if (overlay) blendOverlay(this.picture, overlay, 12, 12);
    return new VideoFrame(this.picture.data, {
      format: 'I420',
      codedWidth: w,
      codedHeight: h,
      timestamp: sessionUs,
      colorSpace,
    });
  }

  /** The caption's box and text as the canvas draws them, made again when the text changes. */
  private captionOverlay(lines: string[], fullRange: boolean): Overlay | null {
    const key = `${fullRange}\n${lines.join('\n')}`;
    if (this.caption?.key === key) return this.caption.overlay;
    this.captionCanvas ??= new OffscreenCanvas(2, 2);
    const measure = this.captionCanvas.getContext('2d');
    if (!measure) return null;
    const box = captionBox(measure, this.m.height, lines);
    const even = (n: number) => Math.min(2 * Math.ceil(n / 2), this.m.width - 12);
    // Sizing the canvas clears it and resets its context.
    this.captionCanvas.width = even(box.w);
    this.captionCanvas.height = even(box.h);
    const ctx = this.captionCanvas.getContext('2d')!;
    drawCaption(ctx, lines, box, 0, 0);
    const { width, height } = this.captionCanvas;
    const rgba = ctx.getImageData(0, 0, width, height).data;
    this.caption = { key, overlay: overlayFromRgba(rgba, width, height, fullRange) };
    return this.caption.overlay;
  }
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

  // Composed in I420 where the frames allow it; the canvas draws any frame that does not.
  const i420 = evenSize(m.width, m.height) ? new I420Program(m) : null;
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
      noteDelivered(stats, frame);
      countLost(frame.timestamp, sessionUs);
      if (sessionUs < 0) {
        frame.close();
        continue;
      }
      stats.framesKept++;
      const file = chain.videoFile(sessionUs);
      chain.noteFirst(file, frame.timestamp, sessionUs);
      let picture = i420 ? await i420.compose(frame, inset, sessionUs) : null;
      if (!picture) {
        draw(ctx, m, frame, inset, sessionUs);
        picture = new VideoFrame(canvas, { timestamp: sessionUs });
      }
      frame.close();
      file.video!.encode(picture);
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
