import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type Core } from '../../electron/core';
import type { Client } from '../../electron/shared/client';
import type { OfficerDto } from '../../electron/shared/domain';

/** A core on a fresh temporary data directory, with a controllable clock. */
export function tempCore(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-core-'));
  let t = start;
  const lines: string[] = [];
  const core: Core = openCore({ dataDir, now: () => t, log: (l) => lines.push(l) });
  return {
    core,
    dataDir,
    log: lines,
    advance(ms: number) {
      t += ms;
    },
    async dispose() {
      core.close();
      // The workstation identity may still be landing (it is made asynchronously at start).
      await core.settled();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { username: 'admin', displayName: '系统管理员', password: 'correct horse 1' };
export const PASSWORD = 'long enough pw 1';

/** A valid 18-digit resident ID (GB 11643 check digit computed, not hard-coded). */
export function residentId(prefix17 = '11010519491231002'): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...prefix17].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return prefix17 + '10X98765432'[sum % 11]!;
}

/** Sets up the admin (unless done), signs in as admin, registers three officers and accounts for the first two (zhangwei, lina); returns the pieces. */
export async function seed(client: Client) {
  if ((await client.invoke('app.info', {})).needsSetup) await client.invoke('auth.setup', ADMIN);
  await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  const a: OfficerDto = await client.invoke('officers.create', {
    name: '张伟',
    certificateNo: '13010012345',
  });
  const b: OfficerDto = await client.invoke('officers.create', {
    name: '李娜',
    certificateNo: '13010067890',
  });
  const c: OfficerDto = await client.invoke('officers.create', {
    name: '王芳',
    certificateNo: '13010011111',
  });
  const officerUser = await client.invoke('users.create', {
    username: 'zhangwei',
    displayName: '张伟',
    password: PASSWORD,
    roles: ['officer'],
    officerId: a.id,
  });
  const officerUser2 = await client.invoke('users.create', {
    username: 'lina',
    displayName: '李娜',
    password: PASSWORD,
    roles: ['officer'],
    officerId: b.id,
  });
  return { officers: [a, b, c] as const, officerUser, officerUser2 };
}

export function caseInput(officerIds: number[], caseNo = '石人防罚〔2026〕12号') {
  return {
    caseNo,
    cause: '未按规定修建防空地下室',
    matterKind: 'penalty' as const,
    origin: {
      kind: 'ex_officio' as const,
      source: '日常巡查',
      reason: '巡查发现未按规定修建防空地下室',
    },
    officerIds,
    parties: [
      {
        kind: 'person' as const,
        name: '赵六',
        idType: 'resident_id' as const,
        idNumber: residentId(),
        address: '石家庄市长安区建设北大街1号',
        contact: '13800000000',
      },
    ],
  };
}

/** Registers the checked camera and microphone once (`client` keeps the registers). */
export async function registerChecked(client: Client): Promise<void> {
  const known = new Set(
    (await client.invoke('devices.list', { includeInactive: true })).map((d) => d.deviceNo),
  );
  for (const d of CHECKED)
    if (!known.has(d.deviceNo))
      await client.invoke('devices.register', {
        deviceNo: d.deviceNo,
        kind: d.kind,
        label: `${d.deviceNo} 询问室`,
      });
}

/** A camera and a microphone on the register, for sessions started with their check. */
const CHECKED = [
  { deviceNo: 'CHK-CAM-01', kind: 'camera', role: 'interviewee_closeup' },
  { deviceNo: 'CHK-MIC-01', kind: 'microphone', role: 'ambient' },
] as const;

/**
 * Starts a session the way the desk does: the pre-flight check of a camera and a microphone
 * saved first (the agency's A/V matters list requires it, R3.2), then the start. `client`
 * keeps the registers (an administrator) and writes the case; the devices are registered once.
 */
export async function startChecked(client: Client, sessionId: number, registrar = client) {
  await registerChecked(registrar);
  const { now, timeZone } = await client.invoke('app.info', {});
  await client.invoke('recording.savePreflight', {
    sessionId,
    preflight: {
      sources: CHECKED.map((d, i) => ({
        sourceId: i === 0 ? 'cam1' : 'mic1',
        kind: d.kind,
        label: d.deviceNo,
        deviceNo: d.deviceNo,
        role: d.role,
      })),
      disk: { freeBytes: 50 * 1024 ** 3, expectedBytes: 10 * 1024 * 1024 },
      clock: { utc: now, timeZone },
      confirmedAt: now,
    },
  });
  return client.invoke('sessions.start', { id: sessionId });
}
