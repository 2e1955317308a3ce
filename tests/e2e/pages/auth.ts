import type { Page } from 'playwright-core';

/** 创建管理员账户: the first-run screen. */
export class SetupPage {
  constructor(private readonly page: Page) {}

  async waitForIt(): Promise<void> {
    await this.page.getByRole('heading', { name: '创建管理员账户' }).waitFor();
  }

  async createAdmin(a: { username: string; displayName: string; password: string }): Promise<void> {
    await this.page.getByLabel('用户名').fill(a.username);
    await this.page.getByLabel('姓名').fill(a.displayName);
    await this.page.getByLabel('密码', { exact: true }).fill(a.password);
    await this.page.getByLabel('确认密码').fill(a.password);
    await this.page.getByRole('button', { name: '创建管理员账户' }).click();
  }
}

/** 登录. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async waitForIt(): Promise<void> {
    await this.page.getByRole('heading', { name: '登录' }).waitFor();
  }

  /** Types the credentials and submits with Enter, as people do. */
  async signIn(username: string, password: string): Promise<void> {
    await this.submit(username, password);
    await this.page.getByRole('navigation', { name: '主导航' }).waitFor();
  }

  /** Signs in where the page has no navigation after it (the live room's LAN pages). */
  async submit(username: string, password: string): Promise<void> {
    await this.waitForIt();
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码').fill(password);
    await this.page.getByLabel('密码').press('Enter');
  }
}
