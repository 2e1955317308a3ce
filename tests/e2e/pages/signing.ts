import type { Locator, Page } from 'playwright-core';
import WebSocket from 'ws';
import { createClient, type Client } from '../../../electron/shared/client';

/**
 * A contract client to the running web host from the test process, as the renderer connects:
 * the per-run token from the index page, our own origin.
 */
export async function contractClient(url: string): Promise<{ client: Client; close(): void }> {
  const html = await (await fetch(url)).text();
  const token = /name="attest-host-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the web host page has no token');
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/rpc?token=${encodeURIComponent(token)}`, {
    headers: { Origin: u.origin },
  });
  const client = createClient({
    send: (text) => ws.send(text),
    onMessage: (receive) => ws.on('message', (d: Buffer) => receive(d.toString())),
    onClose: (closed) => ws.on('close', (code) => closed(`code ${code}`)),
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { client, close: () => ws.close() };
}

/** A stroke shape in the writing area's own fractions (0–1 across, 0–1 down). */
export type Shape = (u: number) => { x: number; y: number };

/** A looped scribble across the area, like a cursive signature. */
export const scribble =
  (loops = 4, y0 = 0.5, amp = 0.28): Shape =>
  (u) => ({
    x: 0.06 + 0.88 * u + 0.05 * Math.cos(u * loops * 2 * Math.PI + Math.PI),
    y: y0 + amp * Math.sin(u * loops * 2 * Math.PI),
  });

/**
 * Draws in a writing area with pointer events. `pen`: PointerEvents with pointerType pen
 * and a pressure that swells and fades along the stroke, dispatched as a pen display
 * sends them; `mouse`: Playwright's mouse (pointerType mouse, pressure 0.5).
 */
export async function draw(
  page: Page,
  canvas: Locator,
  how: 'pen' | 'mouse',
  shape: Shape = scribble(),
  steps = 80,
): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the writing area is not on screen');
  const before = Number(await canvas.getAttribute('data-points'));
  const points = Array.from({ length: steps + 1 }, (_, i) => {
    const p = shape(i / steps);
    return { x: box.x + p.x * box.width, y: box.y + p.y * box.height };
  });
  if (how === 'mouse') {
    await page.mouse.move(points[0]!.x, points[0]!.y);
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(p.x, p.y);
    await page.mouse.up();
  } else {
    await canvas.evaluate((el, pts) => {
      const fire = (type: string, p: { x: number; y: number }, i: number, buttons: number) => {
        const u = i / (pts.length - 1);
        const target = type === 'pointerdown' ? el : el.ownerDocument;
        target.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            composed: true,
            pointerId: 7,
            pointerType: 'pen',
            isPrimary: true,
            clientX: p.x,
            clientY: p.y,
            buttons,
            button: type === 'pointermove' ? -1 : 0,
            pressure: buttons ? Math.round((0.25 + 0.6 * Math.sin(Math.PI * u)) * 1000) / 1000 : 0,
            width: 1,
            height: 1,
          }),
        );
      };
      // A pen display reports a few hundred samples a second: one every 4 ms here.
      return (async () => {
        for (let i = 0; i < pts.length; i++) {
          fire(i === 0 ? 'pointerdown' : 'pointermove', pts[i]!, i, 1);
          await new Promise((r) => setTimeout(r, 4));
        }
        fire('pointerup', pts[pts.length - 1]!, pts.length - 1, 0);
      })();
    }, points);
  }
  // The pad counts what it took: wait until the stroke is in.
  await canvas
    .page()
    .waitForFunction(
      ([el, n]) => Number((el as HTMLElement).getAttribute('data-points')) > (n as number),
      [await canvas.elementHandle(), before] as const,
    );
}

/** The party's signing page (the tablet). */
export class PartySigningPage {
  constructor(readonly page: Page) {}

  main(): Locator {
    return this.page.locator('main.sign--party');
  }

  async waitForStep(step: string, version?: number): Promise<void> {
    const sel = `main.sign--party[data-step="${step}"]${version ? `[data-version="${version}"]` : ''}`;
    await this.page.locator(sel).waitFor();
  }

  pad(): Locator {
    return this.page.getByTestId('pad').locator('canvas');
  }

  /**
   * Pages through the whole record with 下一页: each page shown counts as read (its dot
   * turns to 已阅); once the last is read, that page stays on the screen until the party
   * says they have read it all and goes on to sign.
   */
  async readEveryPage(count: number): Promise<void> {
    for (let page = 1; page <= count; page++) {
      if (page === count) {
        await this.page.locator('main.sign--party:not([data-step="review"])').waitFor();
        await this.page
          .getByTestId('page-of')
          .filter({ hasText: `第 ${count} 页，共 ${count} 页` })
          .waitFor();
        await this.page.getByRole('button', { name: '已读完全部页面，开始签名' }).click();
        await this.page.getByTestId('page-of').waitFor({ state: 'detached' });
        return;
      }
      await this.page
        .getByTestId('page-of')
        .filter({ hasText: `第 ${page} 页，共 ${count} 页` })
        .waitFor();
      await this.page
        .getByRole('button', { name: `第 ${page} 页，共 ${count} 页：已阅` })
        .waitFor();
      await this.page.getByRole('button', { name: '下一页' }).click();
    }
  }

  async submit(name: string | RegExp): Promise<void> {
    await this.page.getByRole('button', { name }).click();
  }
}

/** The officers' desk view (`#/signing/<sessionId>`). */
export class DeskSigningPage {
  constructor(readonly page: Page) {}

  async goTo(baseUrl: string, sessionId: number): Promise<void> {
    await this.page.goto(`${baseUrl}#/signing/${sessionId}`);
    await this.page.getByTestId('desk-signing').waitFor();
  }

  progress(): Locator {
    return this.page.getByTestId('progress');
  }

  async open(): Promise<string> {
    await this.page.getByRole('button', { name: '开始核对签名' }).click();
    const link = this.page.getByTestId('party-link');
    await link.waitFor();
    return (await link.getAttribute('href'))!;
  }

  /** One officer's row in 执法人员在此签名. */
  officer(officerId: number): Locator {
    return this.page.getByTestId(`officer-${officerId}`);
  }

  /** Types an officer's own username and password into the in-person confirmation. */
  async confirmAs(username: string, password: string): Promise<void> {
    const box = this.page.getByTestId('officer-confirm');
    await box.getByLabel('账号').fill(username);
    await box.getByLabel('密码').fill(password);
  }

  /** The signed-in officer signs at the desk with the mouse. */
  async signHere(officerId: number): Promise<void> {
    await this.officer(officerId).getByRole('button', { name: '在本机签名' }).click();
    await draw(
      this.page,
      this.page.getByTestId('desk-pad').locator('canvas'),
      'mouse',
      scribble(3),
      60,
    );
    await this.page.getByRole('button', { name: '确认签名' }).click();
  }

  /** Arms the signing screen for one officer, who confirms with their own password. */
  async armTablet(officerId: number, username: string, password: string): Promise<void> {
    await this.officer(officerId).getByRole('button', { name: '在签名屏上签名' }).click();
    await this.confirmAs(username, password);
    await this.page.getByTestId('arm-officer').click();
  }
}
