import type { Locator, Page } from 'playwright-core';

/** One row of the transcript as the clerk sees it (turn or marker). */
export interface TranscriptRow {
  type: 'turn' | 'marker';
  time: string;
  /** Speaker label of a turn (问/答 …), marker label of a marker. */
  label: string;
  /** A turn's text, a marker's note. */
  text: string;
}

/** The session screen: header, recording controls, procedure checklist and transcript. */
export class SessionPage {
  constructor(private readonly page: Page) {}

  async waitFor(kind: string, caseNo: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: `${kind}：${caseNo}` }).waitFor();
  }

  status(): Locator {
    return this.page.getByTestId('session-status');
  }

  saveState(): Locator {
    return this.page.getByTestId('save-state');
  }

  async waitForSave(text: '已保存' | '保存失败，重试中'): Promise<void> {
    await this.saveState().filter({ hasText: text }).waitFor();
  }

  recordingIndicator(): Locator {
    return this.page.getByTestId('recording-indicator');
  }

  seekPosition(): Locator {
    return this.page.getByTestId('seek-position');
  }

  /** The n-th turn's text box (1-based), whatever its speaker. */
  turn(n: number): Locator {
    return this.page.getByRole('textbox', { name: new RegExp(`^第 ${n} 段（`) });
  }

  procedureStep(name: string): Locator {
    return this.page
      .getByRole('region', { name: '程序节点' })
      .getByRole('listitem')
      .filter({ hasText: name });
  }

  /**
   * Runs the pre-flight check (R3.6) with the browser's fake devices and confirms it: every
   * usable camera and the first microphone, mapped to the registered device numbers in order.
   */
  async preflight(): Promise<void> {
    await this.page.getByRole('button', { name: '开始录制前检查' }).click();
    const confirm = this.page.getByRole('button', { name: '确认检查结果' });
    try {
      await confirm.and(this.page.locator(':enabled')).waitFor({ timeout: 60_000 });
    } catch (e) {
      const problems = await this.page
        .getByRole('list', { name: '检查未通过' })
        .textContent()
        .catch(() => '');
      throw new Error(`the pre-flight did not pass: ${problems}`, { cause: e });
    }
    await confirm.click();
    await this.page.getByRole('button', { name: '已确认，可开始录制' }).waitFor();
  }

  async start(): Promise<void> {
    await this.page.getByRole('button', { name: '开始记录' }).click();
    const dialog = this.page.getByRole('dialog', { name: '开始记录' });
    await dialog.getByText('中途不得暂停').waitFor();
    await dialog.getByRole('button', { name: '开始记录' }).click();
    await dialog.waitFor({ state: 'detached' });
    await this.recordingIndicator().waitFor();
  }

  /** Resumes an interrupted recording with the reason (R3.5). */
  async resume(reason: string): Promise<void> {
    await this.page.getByRole('button', { name: '恢复录制' }).click();
    const dialog = this.page.getByRole('dialog', { name: '恢复录制' });
    await dialog.getByText('口头说明中断的原因').waitFor();
    await dialog.getByLabel('中断原因').fill(reason);
    await dialog.getByRole('button', { name: '恢复录制' }).click();
    await dialog.waitFor({ state: 'detached' });
    await this.recordingIndicator().waitFor();
  }

  /** Fills and confirms the note an interruption or resumption asks for. */
  async confirmNote(title: '记录中断' | '恢复记录', note: string): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await dialog.getByRole('textbox').fill(note);
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Accessible name of the focused element. */
  focusedName(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
  }

  /** Every rendered row of the transcript, in order (a short transcript renders all of them). */
  rows(): Promise<TranscriptRow[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.transcript__row')].map((row) => {
        const turn = row.querySelector<HTMLElement>('.turn');
        const time = row.querySelector('time')?.textContent ?? '';
        if (turn)
          return {
            type: 'turn' as const,
            time,
            label: turn.querySelector('.turn__speaker')?.textContent ?? '',
            text: turn.querySelector('textarea')?.value ?? '',
          };
        return {
          type: 'marker' as const,
          time,
          label: row.querySelector('.marker__label')?.textContent?.replace('◆', '') ?? '',
          text: row.querySelector('.marker__note')?.textContent ?? '',
        };
      }),
    );
  }
}
