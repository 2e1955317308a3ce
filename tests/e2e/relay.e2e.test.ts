/**
 * Watching through the relay in Debian's Chromium: `attest relay` runs (the built CLI, a real
 * mediasoup worker of its own), the web host's workstation pipes its room there, and a legal
 * reviewer with a viewing grant opens the observer page: the workstation checks and audits
 * the viewing, the pictures and sound come from the relay (Chromium accepting its
 * self-issued certificate), every camera and the program move; leaving ends the viewing on
 * the workstation's record. Screenshot: test-results/live-relay.png.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SignInPage } from './pages/auth';
import { SHOTS } from './pages/harness';
import { openRecordingRoom, type RecordingRoom } from './pages/recordingRoom';
import { reviewerWithGrant } from './pages/live';
import { startRelay, type RunningRelay } from '../helpers/webhost';

const CASE_NO = '京人防罚〔2026〕52号';
const PASSWORD = 'long enough pw 1';

const rooms: RecordingRoom[] = [];
const relays: RunningRelay[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) await r.close();
  for (const r of relays.splice(0)) await r.stop();
});

function videos(page: Page) {
  return page.$$eval('[data-testid="live-grid"] video', (els) =>
    (els as HTMLVideoElement[]).map((v) => ({
      label: v.closest('figure')?.querySelector('figcaption')?.textContent ?? '',
      width: v.videoWidth,
      frames: v.getVideoPlaybackQuality().totalVideoFrames,
    })),
  );
}

describe('watching through the relay', () => {
  it('receives the room from the relay while the workstation checks and records the viewing', async () => {
    const relay = await startRelay();
    relays.push(relay);
    const room = await openRecordingRoom({
      caseNo: CASE_NO,
      env: {
        ATTEST_RELAY_URL: relay.url,
        ATTEST_RELAY_FINGERPRINT: relay.fingerprint,
        ATTEST_RELAY_SECRET: relay.secret,
        ATTEST_RELAY_NAME: 'room-2',
      },
    });
    rooms.push(room);
    const { client, host, page, panel, screen, caseId, sessionId, errors } = room;
    const { grantId } = await reviewerWithGrant(host.url, client, caseId, sessionId, PASSWORD);

    await screen.start();
    await expect.poll(() => panel.elapsedSeconds(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const desk = page.getByTestId('live-desk');
    await desk.getByRole('button', { name: '开始实时转发' }).click();
    await desk.getByText('正在实时转发 4 路').waitFor();

    const context = await page
      .context()
      .browser()!
      .newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'zh-CN',
        ignoreHTTPSErrors: true,
      });
    const observer = await context.newPage();
    const observerErrors: string[] = [];
    observer.on('pageerror', (e) => observerErrors.push(e.message));
    await observer.goto(host.url);
    await new SignInPage(observer).signIn('fazhi', PASSWORD);
    // The room reaches the relay within a second or two of forwarding.
    await observer.waitForTimeout(2000);
    await observer.evaluate((h) => (location.hash = h), `#/live/${caseId}/${sessionId}`);
    await observer
      .getByText('画面和声音经中继服务器转发')
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await observer.screenshot({ path: join(SHOTS, 'live-relay-failed.png') });
        throw new Error(
          `the observer page says: ${await observer.locator('main').innerText()}\nthe host said:\n${host.output()}`,
          { cause: e },
        );
      });
    await expect
      .poll(
        async () => (await videos(observer)).filter((v) => v.width > 0 && v.frames > 15).length,
        { timeout: 30_000 },
      )
      .toBe(3);
    const first = await videos(observer);
    await observer.waitForTimeout(2000);
    const later = await videos(observer);
    console.log(later.map((v) => `${v.label}: ${v.width}, ${v.frames} frames`).join('\n'));
    for (const v of later)
      expect(v.frames - first.find((f) => f.label === v.label)!.frames, v.label).toBeGreaterThan(5);
    await observer.getByText(/声音：/).waitFor();
    await observer.screenshot({ path: join(SHOTS, 'live-relay.png'), fullPage: true });
    await desk.getByTestId('live-observers').getByText('周法审').waitFor({ timeout: 10_000 });

    await observer.getByRole('button', { name: '结束观看' }).click();
    await observer.getByText('已结束观看，记入审计日志。').waitFor();
    await desk.getByText('目前无人观看').waitFor({ timeout: 10_000 });
    await context.close();
    expect(observerErrors).toEqual([]);
    await panel.end();
    expect(errors).toEqual([]);

    const trail = (
      await client.invoke('audit.list', { entity: 'session', entityId: sessionId, limit: 500 })
    ).map((e) => ({ action: e.action, actor: e.actor, data: e.data as Record<string, unknown> }));
    expect(trail.find((e) => e.action === 'live.viewing_started')).toMatchObject({
      actor: '周法审',
      data: { grantId },
    });
    expect(trail.find((e) => e.action === 'live.viewing_ended')).toMatchObject({
      actor: '周法审',
      data: { why: 'left' },
    });
    // `attest relay` stops cleanly.
    expect(await relays.pop()!.stop()).toBe(0);
  });
});
