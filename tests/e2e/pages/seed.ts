/**
 * What the recording tests set up through the contract before a browser opens: the
 * administrator, two officers, numbered devices, and a case with a party and a planned
 * interview.
 */
import type { Client } from '../../../electron/shared/client';
import { ADMIN, residentId } from './fixtures';

/** Sets up the administrator, signs in as them, and registers the two officers 张伟 and 李娜. */
export async function seedOfficers(client: Client): Promise<{ id: number }[]> {
  await client.invoke('auth.setup', ADMIN);
  await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  return [
    await client.invoke('officers.create', { name: '张伟', certificateNo: 'ZF-1101-0001' }),
    await client.invoke('officers.create', { name: '李娜', certificateNo: 'ZF-1101-0002' }),
  ];
}

/**
 * Registers cameras CAM-01… (a count, labelled 询问室摄像机 n, or numbers with their labels)
 * and the desk microphone MIC-01.
 */
export async function registerDevices(
  client: Client,
  cameras: number | readonly (readonly [deviceNo: string, label: string])[],
): Promise<void> {
  const list =
    typeof cameras === 'number'
      ? Array.from(
          { length: cameras },
          (_, i) => [`CAM-0${i + 1}`, `询问室摄像机 ${i + 1}`] as const,
        )
      : cameras;
  for (const [deviceNo, label] of list)
    await client.invoke('devices.register', { deviceNo, kind: 'camera', label });
  await client.invoke('devices.register', {
    deviceNo: 'MIC-01',
    kind: 'microphone',
    label: '桌面拾音器',
  });
}

/** A penalty case with the party 王小明 and a planned interview by the two officers. */
export async function createInterviewCase(
  client: Client,
  caseNo: string,
  officers: readonly { id: number }[],
): Promise<{ caseId: number; sessionId: number }> {
  const c = await client.invoke('cases.create', {
    caseNo,
    cause: '未按规定修建防空地下室',
    matterKind: 'penalty',
    origin: { kind: 'ex_officio', source: '日常巡查', reason: '巡查发现未按规定修建防空地下室' },
    officerIds: officers.map((o) => o.id),
    parties: [
      {
        kind: 'person',
        name: '王小明',
        idType: 'resident_id',
        idNumber: residentId('11010519491231002'),
        address: '北京市东城区东四十条1号',
        contact: '13800000000',
      },
    ],
  });
  const session = await client.invoke('sessions.create', {
    caseId: c.id,
    kind: 'interview',
    place: '市人防办执法大队',
    room: '2号询问室',
    officers: [
      { officerId: officers[0]!.id, role: 'interviewer' },
      { officerId: officers[1]!.id, role: 'recorder' },
    ],
    participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '王小明' }],
  });
  return { caseId: c.id, sessionId: session.id };
}
