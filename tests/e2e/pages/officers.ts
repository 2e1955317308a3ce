import type { Locator, Page } from 'playwright-core';

/** 执法人员 register. */
export class OfficersPage {
  constructor(private readonly page: Page) {}

  form(): Locator {
    return this.page.getByRole('form', { name: '登记执法人员' });
  }

  name(): Locator {
    return this.form().getByLabel('姓名');
  }

  certificateNo(): Locator {
    return this.form().getByLabel('执法证号');
  }

  async fill(o: { name: string; certificateNo: string }): Promise<void> {
    await this.name().fill(o.name);
    await this.certificateNo().fill(o.certificateNo);
  }

  async submit(): Promise<void> {
    await this.form().getByRole('button', { name: '登记执法人员' }).click();
  }

  async register(o: { name: string; certificateNo: string }): Promise<void> {
    await this.fill(o);
    await this.submit();
    await this.row(o.certificateNo).waitFor();
  }

  row(text: string): Locator {
    return this.page.getByTestId('officers-table').getByRole('row').filter({ hasText: text });
  }
}
