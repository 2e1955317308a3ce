import type { Page } from 'playwright-core';

/** The device register (设备登记), R3.6. */
export class DevicesPage {
  constructor(private readonly page: Page) {}

  async register(device: {
    deviceNo: string;
    kind: '摄像机' | '拾音器（麦克风）';
    label: string;
    /** 用途, as the select names it (被询问人近景, 全景, …). */
    role?: string;
  }) {
    const form = this.page.getByRole('form', { name: '登记设备' });
    await form.getByLabel('设备编号').fill(device.deviceNo);
    await form.getByLabel('设备类型').selectOption({ label: device.kind });
    await form.getByLabel('设备名称').fill(device.label);
    if (device.role) await form.getByLabel(/^用途/).selectOption({ label: device.role });
    await form.getByRole('button', { name: '登记设备' }).click();
    await this.page.getByText(`已登记设备：${device.deviceNo.toUpperCase()}`).waitFor();
  }
}
