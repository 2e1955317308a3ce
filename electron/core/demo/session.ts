/**
 * Builds the demonstration case through the contract, exactly as the app's screens would:
 * accounts, officers and devices, the case and its interview, the recording (pre-flight,
 * segments streamed as media frames into the core's sink), the transcript, the end of the
 * session, and the signing on the party's page (every page viewed and signed, the seam, the
 * closing statement) and by two officers, finished into the signed PDF. What is left is a
 * session ready to seal.
 */
import type { ProcedureStep } from '../../shared/rules/transcript';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { offsetMinutes } from '../../shared/time';
import type { Client } from '../../shared/client';
import { encodeMediaFrame } from '../../shared/media';
import { DEMO_HEARING, DEMO_HEARING_REPORT, demoHearingTranscript } from './hearing-script';
import { signDemoRecord } from './signing';
import { makeDemoMedia, type DemoSource } from './media';
import { DEMO_CASE, demoTranscript } from './script';

export interface DemoAccounts {
  admin: { username: string; password: string };
  officer: { username: string; password: string };
  /** The second officer's own account (they co-sign in person). */
  officer2: { username: string; password: string };
  /** The agency's leader (负责人): approves access requests and party copies. */
  leader: { username: string; password: string };
  /** A clerk (书记员), not yet assigned to the case. */
  clerk: { username: string; password: string };
  /** A hearing's moderator (主持人), who signs the hearing report. */
  moderator?: { username: string; password: string };
}

export interface DemoBuildOptions {
  /** The officers' desk; set up and signed in by the builder. */
  desk: Client;
  /** The party's signing page: never signed in, it holds the signing's token. */
  tablet: Client;
  /** Where the synthetic media are made (a scratch folder). */
  workDir: string;
  /** Length of the recording, seconds. */
  seconds: number;
  /** The core's clock, and a way to move it on (a demo core runs on a scripted clock). */
  now: () => number;
  advance: (ms: number) => void;
  /** The CJK font for the program's caption (null: no caption). */
  fontFile: string | null;
  ffmpeg?: string;
  /** Case number (default the demo's own). */
  caseNo?: string;
  /** The agency's time zone, set before anything is recorded (default: the machine's). */
  timeZone?: string;
  /** Progress lines for people. */
  say?: (line: string) => void;
  /** An interview (询问, the default) or a hearing (听证) with its participants and report. */
  kind?: 'interview' | 'hearing';
  /**
   * Stop once the recording has ended, before anyone signs (for a test that signs in the UI),
   * or once it has started, nothing recorded yet (for a test that records or watches it live).
   */
  stopAfter?: 'recorded' | 'started';
  /**
   * Notices of the interview left unmarked: the two officers then state why when the signing
   * opens (the compliance report shows them overridden).
   */
  omitSteps?: readonly ProcedureStep[];
  /**
   * Halfway through, the wide camera steps down the capture ladder as a busy machine's
   * recorder would, so the timeline and the sealed record show a step.
   */
  ladderStep?: boolean;
}

export interface DemoSession {
  caseId: number;
  sessionId: number;
  caseNo: string;
  pageCount: number;
  kind: 'interview' | 'hearing';
  accounts: DemoAccounts;
  media: DemoSource[];
}

/** A valid-looking 18-digit resident ID (GB 11643 check digit) for the fictitious party. */
function residentId(prefix17 = '11010519800101003'): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...prefix17].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return prefix17 + '10X98765432'[sum % 11]!;
}

const CHUNK = 1024 * 1024;

export async function buildDemoSession(o: DemoBuildOptions): Promise<DemoSession> {
  const { desk, tablet, advance } = o;
  const say = o.say ?? (() => undefined);
  const hearing = o.kind === 'hearing';
  const caseNo = o.caseNo ?? DEMO_CASE.caseNo;
  const password = () => randomBytes(18).toString('base64url');
  const accounts: DemoAccounts = {
    admin: { username: 'demo-admin', password: password() },
    officer: { username: 'demo-zhangwei', password: password() },
    officer2: { username: 'demo-lina', password: password() },
    leader: { username: 'demo-leader', password: password() },
    clerk: { username: 'demo-clerk', password: password() },
    ...(hearing ? { moderator: { username: 'demo-wangfang', password: password() } } : {}),
  };

  // Accounts, officers, devices.
  await desk.invoke('auth.setup', {
    username: accounts.admin.username,
    displayName: '演示管理员',
    password: accounts.admin.password,
  });
  await desk.invoke('auth.signIn', accounts.admin);
  if (o.timeZone) await desk.invoke('app.setTimeZone', { timeZone: o.timeZone });
  const officers = [];
  for (const o2 of DEMO_CASE.officers) {
    officers.push(await desk.invoke('officers.create', { ...o2, unit: DEMO_CASE.unit }));
  }
  await desk.invoke('users.create', {
    username: accounts.officer.username,
    displayName: officers[0]!.name,
    password: accounts.officer.password,
    roles: ['officer'],
    officerId: officers[0]!.id,
  });
  await desk.invoke('users.create', {
    username: accounts.officer2.username,
    displayName: officers[1]!.name,
    password: accounts.officer2.password,
    roles: ['officer'],
    officerId: officers[1]!.id,
  });
  // A hearing's moderator and recorder: officers of the agency, not investigators of the case.
  const moderator = hearing
    ? await desk.invoke('officers.create', { ...DEMO_HEARING.moderator, unit: DEMO_CASE.unit })
    : null;
  const recorder = hearing
    ? await desk.invoke('officers.create', { ...DEMO_HEARING.recorder, unit: DEMO_CASE.unit })
    : null;
  if (moderator && accounts.moderator)
    await desk.invoke('users.create', {
      username: accounts.moderator.username,
      displayName: moderator.name,
      password: accounts.moderator.password,
      roles: ['moderator'],
      officerId: moderator.id,
    });
  await desk.invoke('users.create', {
    username: accounts.leader.username,
    displayName: '周建国',
    password: accounts.leader.password,
    roles: ['leader'],
  });
  await desk.invoke('users.create', {
    username: accounts.clerk.username,
    displayName: '陈书记员',
    password: accounts.clerk.password,
    roles: ['clerk'],
  });

  // The media are made before the session starts; their caption carries its start time.
  const info = await desk.invoke('app.info', {});
  const startAt = o.now();
  say(`synthesising ${o.seconds} s of media with ffmpeg…`);
  const media = await makeDemoMedia(o.workDir, {
    seconds: o.seconds,
    caption: `${caseNo} ${hearing ? '听证' : '询问'}`,
    startAt,
    offsetMinutes: offsetMinutes(startAt, info.timeZone),
    fontFile: o.fontFile,
    ...(o.ffmpeg ? { ffmpeg: o.ffmpeg } : {}),
  });
  for (const m of media) {
    if (!m.deviceNo) continue;
    await desk.invoke('devices.register', {
      deviceNo: m.deviceNo,
      kind: m.kind === 'microphone' ? 'microphone' : 'camera',
      label: m.label.slice(0, 100),
      model: 'ffmpeg 合成信号',
      room: DEMO_CASE.room,
      ...(m.role ? { role: m.role } : {}),
    });
  }

  // The case and the interview, conducted by the officer.
  await desk.invoke('auth.signOut', {});
  await desk.invoke('auth.signIn', accounts.officer);
  const created = await desk.invoke('cases.create', {
    caseNo,
    cause: DEMO_CASE.cause,
    matterKind: 'penalty',
    origin: {
      kind: 'ex_officio',
      source: '日常巡查（演示）',
      reason: '巡查发现某住宅项目未按规定修建防空地下室（演示）',
    },
    officerIds: officers.map((x) => x.id),
    parties: [
      {
        kind: 'person',
        name: DEMO_CASE.party.name,
        idType: 'resident_id',
        idNumber: residentId(),
        address: DEMO_CASE.party.address,
        contact: DEMO_CASE.party.contact,
      },
    ],
  });
  const party = {
    role: 'party' as const,
    partyId: created.parties[0]!.id,
    name: DEMO_CASE.party.name,
  };
  const session = await desk.invoke(
    'sessions.create',
    moderator && recorder
      ? {
          caseId: created.id,
          kind: 'hearing',
          place: DEMO_CASE.place,
          room: DEMO_HEARING.room,
          officers: [
            { officerId: moderator.id, role: 'moderator' },
            { officerId: officers[0]!.id, role: 'investigator' },
            { officerId: officers[1]!.id, role: 'investigator' },
            { officerId: recorder.id, role: 'recorder' },
          ],
          participants: [
            party,
            {
              role: 'agent',
              name: DEMO_HEARING.agent,
              authority: 'special',
              mandate: DEMO_HEARING.mandate,
            },
            { role: 'third_party', name: DEMO_HEARING.thirdParty },
            { role: 'witness', name: DEMO_HEARING.witness },
          ],
        }
      : {
          caseId: created.id,
          kind: 'interview',
          place: DEMO_CASE.place,
          room: DEMO_CASE.room,
          officers: [
            { officerId: officers[0]!.id, role: 'interviewer' },
            { officerId: officers[1]!.id, role: 'recorder' },
          ],
          participants: [party],
        },
  );

  // Recording: pre-flight, session start, segments streamed through the core's media sink.
  advance(Math.max(0, startAt - o.now()));
  // The pre-flight check comes first: the A/V matters list lets a session start only with it.
  const checkedAt = o.now();
  const devices = media.filter((m) => m.deviceNo !== null);
  await desk.invoke('recording.savePreflight', {
    sessionId: session.id,
    preflight: {
      sources: devices.map((m) => ({
        sourceId: m.sourceId,
        kind: m.kind === 'microphone' ? 'microphone' : 'camera',
        label: m.label,
        deviceNo: m.deviceNo!,
        role: m.role ?? 'other',
      })),
      disk: { freeBytes: 0, expectedBytes: 64 * 1024 * 1024 },
      clock: { utc: checkedAt, timeZone: info.timeZone },
      confirmedAt: checkedAt,
    },
  });
  await desk.invoke('sessions.start', { id: session.id });
  if (o.stopAfter === 'started') {
    const kind = hearing ? ('hearing' as const) : ('interview' as const);
    return {
      caseId: created.id,
      sessionId: session.id,
      caseNo,
      kind,
      accounts,
      media,
      pageCount: 0,
    };
  }
  say('streaming the media into the recorder…');
  for (const m of media) {
    await desk.invoke('recording.openSegment', {
      sessionId: session.id,
      sourceId: m.sourceId,
      kind: m.kind,
      codec: m.codec,
      ...(m.width !== undefined ? { width: m.width, height: m.height } : {}),
      ...(m.frameRate !== undefined ? { frameRate: m.frameRate } : {}),
      ...(m.sampleRate !== undefined ? { sampleRate: m.sampleRate, channels: m.channels } : {}),
      firstCaptureTimeUs: 5_000_000_000,
      sessionTimeUs: 0,
    });
    const bytes = await readFile(m.path);
    for (let off = 0; off < bytes.length; off += CHUNK) {
      desk.sendMedia(
        encodeMediaFrame(
          { sourceId: m.sourceId, segment: 1, offset: off },
          bytes.subarray(off, off + CHUNK),
        ),
      );
    }
  }
  // The clerk types while the interview runs.
  const actions = hearing
    ? demoHearingTranscript(o.seconds * 1000)
    : demoTranscript(o.seconds * 1000, o.omitSteps ?? []);
  const half = Math.ceil(actions.length / 2);
  const { seq } = await desk.invoke('transcripts.apply', {
    sessionId: session.id,
    baseSeq: 0,
    actions: actions.slice(0, half),
  });
  advance(Math.round((o.seconds * 1000) / 2));
  if (o.ladderStep)
    await desk.invoke('recording.captureStep', {
      sessionId: session.id,
      sourceId: 'cam2',
      direction: 'down',
      fps: 20,
      fullFps: 30,
      scale: 1,
      reason: '编码压力：最深队列 9 帧，最慢编码 70 毫秒',
    });
  await desk.invoke('transcripts.apply', {
    sessionId: session.id,
    baseSeq: seq,
    actions: actions.slice(half),
  });
  advance(Math.round((o.seconds * 1000) / 2));
  for (const m of media) {
    await desk.invoke('recording.closeSegment', {
      sessionId: session.id,
      sourceId: m.sourceId,
      segment: 1,
    });
  }
  advance(400);
  await desk.invoke('sessions.end', { id: session.id, confirm: true });

  const made = {
    caseId: created.id,
    sessionId: session.id,
    caseNo,
    kind: hearing ? ('hearing' as const) : ('interview' as const),
    accounts,
    media,
  };
  if (o.stopAfter === 'recorded') return { ...made, pageCount: 0 };

  // Review and signing (R2.2, R2.3): each signer reads every page and signs on the tablet;
  // at a hearing the witness declines; the two officers sign in person.
  say('signing the record…');
  const pageCount = await signDemoRecord({
    desk,
    tablet,
    sessionId: session.id,
    now: o.now,
    advance,
    officerIds: [officers[0]!.id, officers[1]!.id],
    officer2: accounts.officer2,
    ...(o.omitSteps?.length
      ? { noticeOverride: '询问开始时遗漏了录音录像告知，已在询问中口头补充告知，当事人表示知悉' }
      : {}),
    ...(hearing
      ? { refusal: { name: DEMO_HEARING.witness, reason: DEMO_HEARING.witnessRefusal } }
      : {}),
  });
  if (hearing) {
    // The moderator writes the hearing report and signs it in person, with their own password
    // at the desk where the investigator is signed in.
    say('writing and signing the hearing report…');
    advance(10 * 60_000);
    const report = await desk.invoke('hearings.saveReport', {
      sessionId: session.id,
      content: DEMO_HEARING_REPORT,
    });
    advance(60_000);
    await desk.invoke('hearings.signReport', {
      sessionId: session.id,
      version: report.version,
      confirmation: accounts.moderator!,
    });
  }
  return { ...made, pageCount };
}
