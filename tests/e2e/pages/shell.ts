import type { Locator, Page } from 'playwright-core';

/** The signed-in frame: navigation, language switch, sign-out. */
export class Shell {
  constructor(private readonly page: Page) {}

  nav(): Locator {
    return this.page.getByRole('navigation', { name: /主导航|Main navigation/ });
  }

  async goTo(section: '案件列表' | '执法人员' | '设备登记' | '用户管理'): Promise<void> {
    await this.nav().getByRole('link', { name: section }).click();
    await this.page.getByRole('heading', { level: 1, name: section }).waitFor();
  }

  async switchTo(language: '中文' | 'English'): Promise<void> {
    await this.page.getByRole('button', { name: language, exact: true }).click();
  }
}
