import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser), headless, with no outside connections. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * Chromium's fake capture devices: `device-count` cameras (fake_device_1 is an emulated depth
 * camera whose frames cannot be encoded: the pre-flight must catch it) and 3 microphones.
 */
export function fakeDeviceArgs(cameras = 2): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    `--use-fake-device-for-media-stream=device-count=${cameras},fps=30`,
  ];
}

export function launchChromium(extraArgs: string[] = fakeDeviceArgs()): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}
