/**
 * Pure logic of the pre-flight check (R3.6: before recording, check the equipment's power
 * and storage; devices are registered and numbered). Kept apart from the component so it
 * can be tested without a browser.
 */

import { SOURCE_ROLES, type SourceRole } from '@shared/api/recording';

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
  checkDetail: string;
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
