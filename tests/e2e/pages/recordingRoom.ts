import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Client } from '../../../electron/shared/client';
import { fakeDeviceArgs, launchChromium } from '../../helpers/browser';
import { fakeCapture, fakeCaptureArgs } from '../../helpers/fakeCapture';
import { startWebHost, type RunningHost } from '../../helpers/webhost';
import { SignInPage } from './auth';
import { ADMIN } from './fixtures';
import {
  holdLadderScript,
  RecordingPanelPage,
  splitCameraScript,
  workerStatsScript,
} from './recording';
import { createInterviewCase, registerDevices, seedOfficers } from './seed';
import { SessionPage } from './session';
import { contractClient } from './signing';

/** An interview room ready to record, and everything it runs on. */
export interface RecordingRoom {
  host: RunningHost;
  /** A contract client signed in as the administrator. */
  client: Client;
  page: Page;
  screen: SessionPage;
  panel: RecordingPanelPage;
  caseId: number;
  sessionId: number;
  /** Errors thrown in the page. */
  errors: string[];
  /** Closes the browser, the client and the host, and removes its data directory (kept with ATTEST_E2E_KEEP). */
  close(): Promise<void>;
}

/**
 * Chromium with two cameras and a microphone, the web host, an administrator, two officers,
 * two registered cameras and a microphone, and an interview case; signed in on its session
 * screen with the pre-flight check run and confirmed, ready to start.
 *
 * The cameras are the counter clip seen as two cameras (the splitter) unless `devices` is
 * `'fake-devices'`: then they are Chromium's own fake cameras, three devices of which the
 * second is a depth camera the pre-flight leaves out (the two recorded are cam1 and cam3).
 * `initScripts` run in the page before the app (counters, fault injection); the workers'
 * counters are always there.
 */
export async function openRecordingRoom(opts: {
  caseNo: string;
  segmentSeconds?: number;
  devices?: 'clip' | 'fake-devices';
  initScripts?: { content: string }[];
  /** The live room's pages on the LAN (HTTPS on loopback). */
  lanLive?: boolean;
  /** More of the web host's environment (a relay to pipe to). */
  env?: Record<string, string>;
}): Promise<RecordingRoom> {
  const clip = (opts.devices ?? 'clip') === 'clip';
  const closers: (() => Promise<unknown> | void)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const browser = await launchChromium(
      clip ? fakeCaptureArgs(await fakeCapture()) : fakeDeviceArgs(3),
    );
    closers.push(() => browser.close());
    const host = await startWebHost({
      ...(opts.segmentSeconds !== undefined ? { segmentSeconds: opts.segmentSeconds } : {}),
      ...(opts.lanLive ? { lanLive: true } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
    closers.push(async () => {
      await host.stop();
      if (process.env.ATTEST_E2E_KEEP) console.log(`kept ${host.dataDir}`);
      else rmSync(host.dataDir, { recursive: true, force: true });
    });
    const { client, close: closeClient } = await contractClient(host.url);
    closers.push(closeClient);

    const officers = await seedOfficers(client);
    await registerDevices(client, 2);
    const { caseId, sessionId } = await createInterviewCase(client, opts.caseNo, officers);

    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    closers.push(() => context.close());
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const scripts = [
      ...(clip ? [splitCameraScript(2)] : []),
      workerStatsScript(),
      holdLadderScript(),
    ];
    for (const script of [...scripts, ...(opts.initScripts ?? [])])
      await page.addInitScript(script);
    await page.goto(host.url);
    await new SignInPage(page).signIn(ADMIN.username, ADMIN.password);
    await page.evaluate((h) => (location.hash = h), `#/cases/${caseId}/sessions/${sessionId}`);
    const screen = new SessionPage(page);
    await screen.waitFor('询问', opts.caseNo);
    const panel = new RecordingPanelPage(page);
    await panel.discover();
    await panel.confirm();
    return { host, client, page, screen, panel, caseId, sessionId, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}
