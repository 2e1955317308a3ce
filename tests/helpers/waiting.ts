/**
 * Waiting for what happens on its own time (media flowing, a process restarting), refusals,
 * and a viewing grant as the access feature gives one.
 */
import { expect } from 'vitest';
import { ApiError, type Client } from '../../electron/shared/client';

/** Polls `check` every 50 ms until it holds; fails naming `what` after `ms`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The contract's refusal of a call that must fail. */
export async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

/** A viewing grant for `sessionId`, asked by `asker` and approved by `leader` until `validUntil`. */
export async function viewingGrant(
  asker: Client,
  leader: Client,
  caseId: number,
  sessionId: number,
  validUntil: number,
): Promise<number> {
  const asked = await asker.invoke('access.request', {
    caseId,
    mode: 'view',
    sessions: [sessionId],
    purpose: '法制审核，实时观看询问',
    days: 1,
  });
  await leader.invoke('access.decide', {
    requestId: asked.id,
    decision: 'approved',
    opinion: '同意实时观看',
    validUntil,
  });
  return asked.id;
}
