import type { Locator, Page } from 'playwright-core';

/** 案件列表. */
export class CaseListPage {
  constructor(private readonly page: Page) {}

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: '搜索' }).fill(text);
  }

  row(caseNo: string): Locator {
    return this.page
      .getByRole('row')
      .filter({ has: this.page.getByRole('link', { name: caseNo }) });
  }

  async open(caseNo: string): Promise<CaseDetailPage> {
    await this.page.getByRole('link', { name: caseNo }).click();
    const detail = new CaseDetailPage(this.page);
    await detail.waitFor(caseNo);
    return detail;
  }

  async startNewCase(): Promise<NewCasePage> {
    await this.page.getByRole('link', { name: '新建案件' }).click();
    await this.page.getByRole('heading', { name: '新建案件（立案）' }).waitFor();
    return new NewCasePage(this.page);
  }
}

export interface NewCase {
  caseNo: string;
  cause: string;
  matterKind: string;
  reason: string;
  officers: readonly string[];
  party?: { name: string; idNumber: string };
}

/** 新建案件 (立案). */
export class NewCasePage {
  constructor(private readonly page: Page) {}

  field(label: string): Locator {
    return this.page
      .getByRole('form', { name: '新建案件（立案）' })
      .getByLabel(label, { exact: true });
  }

  async fill(c: NewCase): Promise<void> {
    await this.field('案件编号').fill(c.caseNo);
    await this.field('事项类别').selectOption({ label: c.matterKind });
    await this.field('案由').fill(c.cause);
    await this.field('立案理由 / 申请事项 / 投诉内容').fill(c.reason);
    for (const name of c.officers)
      await this.page.getByRole('checkbox', { name, exact: true }).check();
    if (c.party) {
      await this.page.getByRole('checkbox', { name: '同时登记一名当事人' }).check();
      await this.field('姓名 / 名称').fill(c.party.name);
      await this.field('证件号码').fill(c.party.idNumber);
    }
  }

  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: '立案' }).click();
  }

  /** The error text shown for a field (its aria-describedby target). */
  async errorOf(label: string): Promise<string | null> {
    const ids = await this.field(label).getAttribute('aria-describedby');
    const id = ids?.split(' ')[0];
    return id ? this.page.locator(`[id="${id}"]`).textContent() : null;
  }
}

/** One case: header, phase stepper and the tabs. */
export class CaseDetailPage {
  constructor(private readonly page: Page) {}

  async waitFor(caseNo: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: caseNo }).waitFor();
  }

  async tab(name: string): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
    await this.page.getByRole('tab', { name, selected: true }).waitFor();
  }

  sessionsTable(): Locator {
    return this.page.getByTestId('sessions-table');
  }

  /** Opens an interview with two officers in their roles and one party. */
  async openInterview(s: {
    place: string;
    room: string;
    officers: readonly { name: string; role: string }[];
    party: string;
  }): Promise<void> {
    await this.tab('询问与听证');
    await this.page.getByRole('button', { name: '新建询问/听证' }).click();
    const dialog = this.page.getByRole('dialog', { name: '新建询问/听证' });
    await dialog.waitFor();
    await dialog.getByLabel('类型').selectOption({ label: '询问' });
    await dialog.getByLabel('地点').fill(s.place);
    await dialog.getByLabel('房间').fill(s.room);
    for (const o of s.officers) {
      await dialog.getByRole('checkbox', { name: o.name }).check();
      await dialog.getByLabel(`${o.name} 的角色`).selectOption({ label: o.role });
    }
    await dialog.getByRole('checkbox', { name: s.party }).check();
    await dialog.getByRole('button', { name: '创建' }).click();
    await dialog.waitFor({ state: 'detached' });
  }
}
