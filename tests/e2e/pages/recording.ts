import type { Locator, Page } from 'playwright-core';

/** One row of the pre-flight check as the officer sees it. */
export interface PreflightRow {
  sourceId: string;
  /** The device's label (what the include box names). */
  label: string;
  /** 检测中… / 可录制 / 无法录制, then the detail (resolution or the encoder's reason). */
  check: string;
  included: boolean;
  deviceNo: string;
}

/** One health line of the live view while recording. */
export interface HealthLine {
  sourceId: string;
  text: string;
  fps: number | null;
  dropped: number | null;
}

/**
 * The recording box of the session screen: the pre-flight check (R3.6) before the
 * start, the live grid with per-source health while recording.
 */
export class RecordingPanelPage {
  constructor(private readonly page: Page) {}

  /** Starts the check and waits until every camera has been tried with the encoder. */
  async discover(): Promise<PreflightRow[]> {
    await this.page.getByRole('button', { name: '开始录制前检查' }).click();
    await this.page.getByRole('button', { name: '确认检查结果' }).waitFor({ timeout: 60_000 });
    await this.page
      .locator('.rec__check--checking')
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 });
    return this.rows();
  }

  row(sourceId: string): Locator {
    return this.page.getByTestId(`preflight-${sourceId}`);
  }

  rows(): Promise<PreflightRow[]> {
    return this.page.locator('[data-testid^="preflight-"]').evaluateAll((trs) =>
      trs
        .filter((tr) => tr.tagName === 'TR')
        .map((tr) => {
          const box = tr.querySelector<HTMLInputElement>('input[type="checkbox"]');
          const select = tr.querySelector<HTMLSelectElement>('select');
          return {
            sourceId: (tr.getAttribute('data-testid') ?? '').replace(/^preflight-/, ''),
            label: tr.querySelector('.rec__include span')?.textContent ?? '',
            check: (tr.querySelector('.rec__check')?.textContent ?? '').trim(),
            included: box?.checked ?? false,
            deviceNo: select?.value ?? '',
          };
        }),
    );
  }

  /** Ticks or clears a device's "录制 …" box. */
  async include(label: string, on: boolean): Promise<void> {
    await this.page.getByRole('checkbox', { name: `录制 ${label}`, exact: true }).setChecked(on);
  }

  /** The problems the check lists (empty when it passes). */
  async problems(): Promise<string[]> {
    const list = this.page.getByRole('list', { name: '检查未通过' });
    if (!(await list.count())) return [];
    return list.getByRole('listitem').allTextContents();
  }

  /** Confirms the check (it must pass). */
  async confirm(): Promise<void> {
    const confirm = this.page.getByRole('button', { name: '确认检查结果' });
    if (await confirm.isDisabled())
      throw new Error(`the pre-flight did not pass: ${(await this.problems()).join('; ')}`);
    await confirm.click();
    await this.page.getByRole('button', { name: '已确认，可开始录制' }).waitFor();
  }

  health(sourceId: string): Locator {
    return this.page.getByTestId(`health-${sourceId}`);
  }

  /** Every health line of the live view, with fps and dropped frames where shown. */
  async healthLines(): Promise<HealthLine[]> {
    const lines = await this.page.locator('[data-testid^="health-"]').evaluateAll((els) =>
      els.map((el) => ({
        sourceId: (el.getAttribute('data-testid') ?? '').replace(/^health-/, ''),
        text: el.textContent ?? '',
      })),
    );
    return lines.map((l) => ({
      ...l,
      fps: Number(/([\d.]+) fps/.exec(l.text)?.[1] ?? NaN) || null,
      dropped: /丢帧 (\d+)/.test(l.text) ? Number(/丢帧 (\d+)/.exec(l.text)![1]) : null,
    }));
  }

  /** Seconds the recording indicator shows (录制中hh:mm:ss). */
  async elapsedSeconds(): Promise<number> {
    const text = (await this.page.getByTestId('recording-indicator').textContent()) ?? '';
    const m = /(\d{2}):(\d{2}):(\d{2})/.exec(text);
    if (!m) throw new Error(`no elapsed time in "${text}"`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }

  /**
   * Ends the recording with its confirmation: the end dialog, and the second confirmation
   * it asks for when procedure steps are missing. Resolves once the session has ended.
   */
  async end(): Promise<void> {
    await this.page.getByRole('button', { name: '结束记录' }).click();
    const dialog = this.page.getByRole('dialog', { name: '结束记录' });
    await dialog.waitFor();
    if (await dialog.getByTestId('end-missing').count()) {
      await dialog.getByRole('button', { name: '结束记录' }).click();
      await dialog.getByText('仍要结束记录吗').waitFor();
      await dialog.getByRole('button', { name: '仍然结束' }).click();
    } else {
      await dialog.getByRole('button', { name: '结束记录' }).click();
    }
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await this.page
      .getByTestId('session-status')
      .filter({ hasText: '已结束' })
      .waitFor({ timeout: 30_000 });
  }
}

/**
 * An init script for the page: one physical camera appears as `copies` cameras, as behind a
 * video splitter. enumerateDevices lists it `copies` times (ids `<id>~1`…); getUserMedia
 * maps such an id back to the real device. With `--use-file-for-fake-video-capture`
 * Chromium offers one camera, which can be opened several times: this lets the unmodified
 * pre-flight and engine record it as several sources. Pass to `page.addInitScript`.
 */
export function splitCameraScript(copies: number): { content: string } {
  const fn = (n: number) => {
    const md = navigator.mediaDevices;
    const list = md.enumerateDevices.bind(md);
    const open = md.getUserMedia.bind(md);
    md.enumerateDevices = async () => {
      const out: MediaDeviceInfo[] = [];
      for (const d of await list()) {
        if (d.kind !== 'videoinput') {
          out.push(d);
          continue;
        }
        for (let i = 1; i <= n; i++) {
          const info = {
            deviceId: `${d.deviceId}~${i}`,
            groupId: d.groupId,
            kind: d.kind,
            label: `splitter-${i}`,
          };
          out.push({ ...info, toJSON: () => info } as MediaDeviceInfo);
        }
      }
      return out;
    };
    const real = (c: MediaTrackConstraints): MediaTrackConstraints => {
      const id = c.deviceId as { exact?: string } | string | undefined;
      if (typeof id === 'object' && typeof id.exact === 'string')
        return { ...c, deviceId: { exact: id.exact.replace(/~\d+$/, '') } };
      if (typeof id === 'string') return { ...c, deviceId: id.replace(/~\d+$/, '') };
      return c;
    };
    md.getUserMedia = (c?: MediaStreamConstraints) =>
      open(c && typeof c.video === 'object' ? { ...c, video: real(c.video) } : c);
  };
  return { content: `(${fn.toString()})(${copies});` };
}

/** An encoder worker's own counters (renderer/src/features/recording/protocol.ts WorkerStats). */
export interface WorkerCounters {
  framesIn: number;
  framesEncoded: number;
  framesDropped: number;
  bytesOut: number;
  firstSessionTimeUs: number | null;
  lastSessionTimeUs: number | null;
  encodeQueue: number;
  framesKept: number;
  framesQueueDropped: number;
  captureGaps: { sessionUs: number; gapUs: number; waitMs: number }[];
  fileChanges: { file: number; atUs: number; closeMs: number }[];
  /** The size of the pictures the source delivered (the latest frame read). */
  delivered: { width: number; height: number } | null;
}

/**
 * An init script that wraps the page's Worker constructor to keep each recording worker's
 * latest counters by source id (from the start message it is posted), in
 * `window.__workerStats`; the app itself is unchanged. Read them with {@link workerStats}.
 */
/**
 * Holds the capture ladder (every source at full rate), for tests of capture itself that a
 * loaded machine must not turn into tests of the ladder (see HOLD_LADDER_KEY).
 */
export function holdLadderScript(): { content: string } {
  return { content: `localStorage.setItem('attest.holdCaptureLadder', '1')` };
}

export function workerStatsScript(): { content: string } {
  const fn = () => {
    const Real = window.Worker;
    const all: Record<string, unknown> = {};
    (window as unknown as { __workerStats: typeof all }).__workerStats = all;
    window.Worker = class extends Real {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        let id: string | null = null;
        const post = this.postMessage.bind(this) as (m: unknown, t?: unknown) => void;
        this.postMessage = ((m: unknown, t?: unknown) => {
          const sourceId = (m as { sourceId?: unknown } | null)?.sourceId;
          if (typeof sourceId === 'string') id = sourceId;
          post(m, t);
        }) as Worker['postMessage'];
        this.addEventListener('message', (e: MessageEvent<{ type?: string; stats?: unknown }>) => {
          if (id && (e.data?.type === 'stats' || e.data?.type === 'ended')) all[id] = e.data.stats;
        });
      }
    };
  };
  return { content: `(${fn.toString()})();` };
}

/** The counters the {@link workerStatsScript} kept, by source id. */
export function workerStats(page: Page): Promise<Record<string, WorkerCounters>> {
  return page.evaluate(
    () =>
      ((window as unknown as { __workerStats?: Record<string, WorkerCounters> }).__workerStats ??
        {}) as Record<string, WorkerCounters>,
  );
}

/**
 * An init script that can freeze cameras as a stalled capture pipeline does, with the app
 * unchanged. After `window.__generatorCameras()`, each camera the page opens is handed over
 * as a generated track (MediaStreamTrackGenerator) fed from the real one; after
 * `window.__freezeCameras()`, the cameras opened until then deliver no more frames (each is
 * closed unseen) while their tracks and clones stay live. Cameras opened later flow.
 */
export function freezeCamerasScript(): { content: string } {
  const fn = () => {
    type Processor = new (init: { track: MediaStreamTrack }) => {
      readable: ReadableStream<VideoFrame>;
    };
    type Generator = new (init: { kind: 'video' }) => MediaStreamTrack & {
      writable: WritableStream<VideoFrame>;
    };
    const g = window as unknown as {
      MediaStreamTrackProcessor: Processor;
      MediaStreamTrackGenerator: Generator;
      __generatorCameras: () => void;
      __freezeCameras: () => void;
    };
    const Processor = g.MediaStreamTrackProcessor;
    const md = navigator.mediaDevices;
    const open = md.getUserMedia.bind(md);
    const feeds: { frozen: boolean }[] = [];
    let generate = false;
    g.__generatorCameras = () => {
      generate = true;
    };
    g.__freezeCameras = () => {
      for (const f of feeds) f.frozen = true;
    };
    md.getUserMedia = async (c?: MediaStreamConstraints) => {
      const real = await open(c);
      const camera = real.getVideoTracks()[0];
      if (!generate || !camera) return real;
      const generated = new g.MediaStreamTrackGenerator({ kind: 'video' });
      const feed = { frozen: false };
      feeds.push(feed);
      const reader = new Processor({ track: camera }).readable.getReader();
      const writer = generated.writable.getWriter();
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          if (feed.frozen) value.close();
          else await writer.write(value).catch(() => value.close());
        }
      })();
      const stop = generated.stop.bind(generated);
      generated.stop = () => {
        stop();
        camera.stop();
      };
      return new MediaStream([generated, ...real.getAudioTracks()]);
    };
  };
  return { content: `(${fn.toString()})();` };
}
