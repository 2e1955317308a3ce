/**
 * Pure logic of the pre-flight check (R3.6: before recording, check the equipment's power
 * and storage; devices are registered and numbered). Kept apart from the component so it
 * can be tested without a browser.
 */

import { SOURCE_ROLES, type SourceRole } from '@shared/api/recording';
import type { CameraVerdict } from './devices';

export { SOURCE_ROLES, type SourceRole };

export type DeviceCheck = 'checking' | 'ok' | 'unusable';

export interface PreflightSource {
  sourceId: string;
  kind: 'camera' | 'microphone';
  deviceId: string;
  label: string;
  /** Include this device in the recording. */
  enabled: boolean;
  /** Registered device number (设备编号) from the device register. */
  deviceNo: string;
  role: SourceRole;
  check: DeviceCheck;
  /** The camera's test, once it ran. */
  verdict: CameraVerdict | null;
  /**
   * The officer set this source's number or role by hand: a later proposal (after another
   * camera's test) keeps that choice, even "no number" or "other".
   */
  chosen?: boolean;
  /** The officer ticked or unticked it by hand: the proposal leaves that alone. */
  ticked?: boolean;
}

/**
 * The format every camera is opened at: by the recording, by its pre-flight check and by its
 * preview alike. The browser opens a device once and gives every track of it the format the
 * first one asked for (a track asking for more is given less, not an error), so a preview
 * opened smaller would leave the recording with its small picture, scaled up.
 */
export const CAMERA_FORMAT = { width: 1280, height: 720, frameRate: 30 } as const;

/** The constraints that open a camera at `CAMERA_FORMAT`. */
export function cameraConstraints(deviceId: string): MediaTrackConstraints {
  return { deviceId: { exact: deviceId }, ...CAMERA_FORMAT };
}

/** Video bitrate per camera and the program file; audio per microphone (bits per second). */
export const CAMERA_BITRATE = 2_500_000;
export const PROGRAM_BITRATE = 2_500_000;
export const MICROPHONE_BITRATE = 64_000;

/** Bytes a session of `hours` will take, with 20% headroom for container overhead and spikes. */
export function expectedBytes(
  sources: PreflightSource[],
  hours: number,
  withProgram: boolean,
): number {
  const on = sources.filter((s) => s.enabled && s.check === 'ok');
  const bps =
    on.filter((s) => s.kind === 'camera').length * CAMERA_BITRATE +
    on.filter((s) => s.kind === 'microphone').length * MICROPHONE_BITRATE +
    (withProgram ? PROGRAM_BITRATE + MICROPHONE_BITRATE : 0);
  return Math.ceil((bps / 8) * hours * 3600 * 1.2);
}

export interface PreflightProblem {
  key:
    | 'noCamera'
    | 'noMicrophone'
    | 'unregistered'
    | 'duplicateDeviceNo'
    | 'disk'
    | 'tooManyCameras'
    | 'unusableEnabled'
    | 'clock';
  sourceId?: string;
}

/** Up to 4 cameras at 720p30 on a 2-core machine (FINDINGS); more would drop frames. */
export const MAX_CAMERAS = 4;

export function preflightProblems(
  sources: PreflightSource[],
  disk: { freeBytes: number; expectedBytes: number } | null,
  clockSkewMs: number | null,
): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const on = sources.filter((s) => s.enabled);
  const cams = on.filter((s) => s.kind === 'camera');
  if (cams.length === 0) problems.push({ key: 'noCamera' });
  if (cams.length > MAX_CAMERAS) problems.push({ key: 'tooManyCameras' });
  if (!on.some((s) => s.kind === 'microphone')) problems.push({ key: 'noMicrophone' });
  for (const s of on) {
    if (s.check === 'unusable') problems.push({ key: 'unusableEnabled', sourceId: s.sourceId });
    if (!s.deviceNo) problems.push({ key: 'unregistered', sourceId: s.sourceId });
  }
  const numbers = on.map((s) => s.deviceNo).filter(Boolean);
  for (const s of on) {
    if (s.deviceNo && numbers.filter((n) => n === s.deviceNo).length > 1)
      problems.push({ key: 'duplicateDeviceNo', sourceId: s.sourceId });
  }
  if (!disk || disk.freeBytes < disk.expectedBytes) problems.push({ key: 'disk' });
  // The workstation's clock and the core's disagree by more than 2 s: times would not match.
  if (clockSkewMs === null || Math.abs(clockSkewMs) > 2000) problems.push({ key: 'clock' });
  return problems;
}

/** Picks the program's main picture and inset from the roles (close-up main, wide inset). */
export function programLayout(sources: PreflightSource[]): {
  main?: string;
  inset?: string;
  audio?: string;
} {
  const cams = sources.filter((s) => s.enabled && s.kind === 'camera' && s.check === 'ok');
  const main =
    cams.find((s) => s.role === 'interviewee_closeup') ??
    cams.find((s) => s.role === 'hearing_bench') ??
    cams[0];
  const inset =
    cams.find((s) => s !== main && s.role === 'room_wide') ?? cams.find((s) => s !== main);
  const audio = sources.find((s) => s.enabled && s.kind === 'microphone' && s.check === 'ok');
  return {
    ...(main ? { main: main.sourceId } : {}),
    ...(inset ? { inset: inset.sourceId } : {}),
    ...(audio ? { audio: audio.sourceId } : {}),
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}

/** The roles the check proposes for the usable cameras, in the order they were found. */
const CAMERA_ROLES: readonly SourceRole[] = ['interviewee_closeup', 'room_wide', 'desk_document'];

/** Registered devices as the proposal needs them (DeviceDto of the register). */
export interface RegisteredDevice {
  deviceNo: string;
  kind: 'camera' | 'microphone';
  active: boolean;
  room: string | null;
  /** Its registered 用途, when the register names one. */
  role?: SourceRole | null;
}

/**
 * Proposes a registered device number and a role for each source (R3.6). A source that
 * cannot record gets no number, so a number is never spent on a device that records nothing;
 * each usable source keeps a number already chosen if it is a distinct, active one of its
 * kind, and otherwise gets the next free one of its kind (those of the session's room first,
 * then those of no room, then the rest; by number within each): the ticked sources first,
 * each group in the order the sources were found. Usable cameras still on the placeholder role `other` get the close-up, the wide
 * view and the desk in that order, skipping roles already taken; a microphone is `ambient`.
 * A source numbered with a device whose register names its 用途 takes that role.
 * A camera still being checked keeps what it has.
 */
export function proposeDeviceNumbers(
  sources: readonly PreflightSource[],
  register: readonly RegisteredDevice[],
  room: string | null = null,
): PreflightSource[] {
  const rank = (d: RegisteredDevice) => (room && d.room === room ? 0 : d.room === null ? 1 : 2);
  const byNo = (a: RegisteredDevice, b: RegisteredDevice) =>
    rank(a) - rank(b) ||
    a.deviceNo.localeCompare(b.deviceNo, 'en', { numeric: true, sensitivity: 'base' });
  const usable = register.filter((d) => d.active);
  const kindOf = new Map(usable.map((d) => [d.deviceNo.toUpperCase(), d.kind]));
  const taken = new Set<string>();
  const out = sources.map((s) => ({ ...s }));
  // First the numbers already chosen for usable sources, so the proposal does not move them.
  for (const s of out) {
    if (s.check === 'unusable') {
      s.deviceNo = '';
      continue;
    }
    const no = s.deviceNo.toUpperCase();
    if (s.check === 'ok' && no && kindOf.get(no) === s.kind && !taken.has(no)) taken.add(no);
    else if (s.check === 'ok') s.deviceNo = '';
  }
  // Sources ticked for recording come first, so they are the ones numbered when the
  // register has fewer numbers than there are usable devices.
  const order = [...out.filter((s) => s.enabled), ...out.filter((s) => !s.enabled)];
  for (const s of order) {
    if (s.check !== 'ok' || s.deviceNo || s.chosen) continue;
    const next = usable
      .filter((d) => d.kind === s.kind && !taken.has(d.deviceNo.toUpperCase()))
      .sort(byNo)[0];
    if (!next) continue;
    s.deviceNo = next.deviceNo;
    taken.add(next.deviceNo.toUpperCase());
  }
  // Every usable camera is recorded that the register has a number for; one without stays
  // unticked (ticked, it could not be saved), unless the officer ticked it.
  for (const s of out)
    if (s.kind === 'camera' && s.check === 'ok' && !s.deviceNo && !s.ticked) s.enabled = false;
  // A numbered source shows what its device is registered for, unless the officer chose.
  const roleOf = new Map(usable.map((d) => [d.deviceNo.toUpperCase(), d.role ?? null]));
  for (const s of out) {
    const registered = roleOf.get(s.deviceNo.toUpperCase());
    if (s.check === 'ok' && !s.chosen && registered) s.role = registered;
  }
  const rolesTaken = new Set(
    out.filter((s) => s.check === 'ok' && s.kind === 'camera').map((s) => s.role),
  );
  for (const s of out) {
    if (s.check !== 'ok' || s.role !== 'other' || s.chosen) continue;
    if (s.kind === 'microphone') {
      s.role = 'ambient';
      continue;
    }
    const role = CAMERA_ROLES.find((r) => !rolesTaken.has(r));
    if (!role) continue;
    s.role = role;
    rolesTaken.add(role);
  }
  return out;
}
