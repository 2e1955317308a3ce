/**
 * A legal reviewer (法制审核) with a viewing grant for one session, as the live room's
 * observers are set up in the e2e test and the benchmark: the administrator makes the
 * accounts, the reviewer asks, the leader approves.
 */
import type { Client } from '../../../electron/shared/client';
import { contractClient } from './signing';

export const REVIEWER = { username: 'fazhi', displayName: '周法审' } as const;

export async function reviewerWithGrant(
  url: string,
  admin: Client,
  caseId: number,
  sessionId: number,
  password: string,
): Promise<{ grantId: number }> {
  for (const [username, displayName, role] of [
    [REVIEWER.username, REVIEWER.displayName, 'legal_reviewer'],
    ['leader', '赵局长', 'leader'],
  ] as const)
    await admin.invoke('users.create', { username, displayName, password, roles: [role] });
  const signedIn = async (username: string) => {
    const c = await contractClient(url);
    await c.client.invoke('auth.signIn', { username, password });
    return c;
  };
  const reviewer = await signedIn(REVIEWER.username);
  const leader = await signedIn('leader');
  try {
    const asked = await reviewer.client.invoke('access.request', {
      caseId,
      mode: 'view',
      sessions: [sessionId],
      purpose: '法制审核，实时观看询问过程',
      days: 1,
    });
    await leader.client.invoke('access.decide', {
      requestId: asked.id,
      decision: 'approved',
      opinion: '同意实时观看',
      validUntil: Date.now() + 3_600_000,
    });
    return { grantId: asked.id };
  } finally {
    reviewer.close();
    leader.close();
  }
}
