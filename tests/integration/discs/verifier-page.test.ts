/**
 * The offline verifier page (resources/disc/verify.html) in Debian's Chromium, opened from
 * the files of a real disc image (extracted with xorriso's osirrox, as a reader of the
 * disc would see them), with the folder chosen through its webkitdirectory input: a good
 * disc is reported intact file by file, a changed file broken. Its streaming SHA-256 and
 * SHA-512 (used for files too big for crypto.subtle) are checked against Node's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser';
import { execFileAsync as run, imageOf, removeTempDirs, sealedCase, tempDir } from './fixtures';

const ROOT = join(import.meta.dirname, '../../..');
const PAGE = join(ROOT, 'resources/disc/verify.html');

describe('the verifier page hashes like Node does (streaming SHA-256 and SHA-512)', () => {
  const script = /<script>([\s\S]*)<\/script>/.exec(readFileSync(PAGE, 'utf8'))![1]!;
  const ctx = vm.createContext({ window: {}, document: { getElementById: () => null } });
  vm.runInContext(script, ctx);
  const V = (ctx as { window: { AttestVerifier: { Sha256(): H; Sha512(): H } } }).window
    .AttestVerifier;
  interface H {
    update(d: Uint8Array): H;
    hex(): string;
  }
  it.each([0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 129, 1000, 100_000])(
    '%i bytes, fed in odd pieces',
    (n) => {
      const data = randomBytes(n);
      const a = V.Sha256();
      const b = V.Sha512();
      for (let o = 0; o < n; o += 37) {
        a.update(data.subarray(o, o + 37));
        b.update(data.subarray(o, o + 37));
      }
      expect(a.hex()).toBe(createHash('sha256').update(data).digest('hex'));
      expect(b.hex()).toBe(createHash('sha512').update(data).digest('hex'));
    },
  );
});

describe('the verifier page in Chromium, from the disc', () => {
  let browser: Browser;
  let good: string;
  let bad: string;
  const changed = 'bundles/2026-11-24_听证_赵六/data/attachments/现场照片说明.txt';

  beforeAll(async () => {
    const archive = tempDir('attest-disc-archive-');
    const { bags } = await sealedCase(archive);
    const image = join(tempDir('attest-disc-img-'), 'disc.iso');
    await imageOf(bags, image);
    const extract = async (dir: string) => {
      await run('xorriso', ['-osirrox', 'on', '-indev', `stdio:${image}`, '-extract', '/', dir]);
      await run('chmod', ['-R', 'u+w', dir]);
      return dir;
    };
    good = await extract(join(tempDir('attest-disc-x-'), 'DISC'));
    bad = await extract(join(tempDir('attest-disc-x-'), 'DISC'));
    await fsp.appendFile(join(bad, changed), '改');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await removeTempDirs();
  });

  async function check(dir: string): Promise<Page> {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(join(dir, 'verify.html')).href);
    await page.locator('#pick').setInputFiles(dir);
    await page.locator('#summary[data-result]').waitFor({ timeout: 60_000 });
    expect(requests).toEqual([]); // nothing leaves the machine
    return page;
  }

  it('reports every file of a good disc intact', async () => {
    const page = await check(good);
    expect(await page.locator('#summary').getAttribute('data-result')).toBe('intact');
    const bags = page.locator('section.bag');
    // Two bags, and the disc's other files (the seals' .p7s, README, this page) by the index.
    expect(await bags.count()).toBe(3);
    expect(await page.locator('section.bag[data-result=intact]').count()).toBe(3);
    const other = page.locator('section.bag[data-bag="ATTEST-DISC.json"] tr[data-path]');
    expect(await other.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')))).toEqual(
      expect.arrayContaining([
        'README.txt',
        'verify.html',
        'bundles/2026-11-23_询问_赵六/seal/tagmanifest-sha512.txt.p7s',
      ]),
    );
    const statuses = await page
      .locator('tr[data-status]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(16);
    expect(new Set(statuses)).toEqual(new Set(['intact']));
    expect(await page.locator('#disc').textContent()).toContain('石人防罚〔2026〕12号');
    await fsp.mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({
      path: join(ROOT, 'test-results', 'disc-verifier.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('reports a changed file broken and names it, the other bundle intact', async () => {
    const page = await check(bad);
    expect(await page.locator('#summary').getAttribute('data-result')).toBe('broken');
    const rel = changed.split('/').slice(2).join('/');
    const row = page.locator(`section.bag[data-bag="2026-11-24_听证_赵六"] tr[data-path="${rel}"]`);
    expect(await row.getAttribute('data-status')).toBe('broken');
    expect(
      await page
        .locator('section.bag[data-bag="2026-11-23_询问_赵六"]')
        .getAttribute('data-result'),
    ).toBe('intact');
    expect(await page.locator('tr[data-status=broken]').count()).toBe(1);
    await page.screenshot({
      path: join(ROOT, 'test-results', 'disc-verifier-broken.png'),
      fullPage: true,
    });
    await page.close();
  });
});
