/**
 * The recording plan from a confirmed pre-flight: each usable camera at 1280×720, 30 fps (or
 * the rate the trial proposed), each microphone, and the program with its caption.
 */
import type { TFunction } from 'i18next';
import {
  CAMERA_BITRATE,
  CAMERA_FORMAT,
  PROGRAM_BITRATE,
  programLayout,
  type PreflightSource,
} from './preflightModel';
import type { RecordingPlan } from './sources';
import { sourceTitle } from './sourceName';

export function recordingPlan(
  t: TFunction,
  all: readonly PreflightSource[],
  o: {
    caption: { caseNo: string; place: string; startedAtUtc: number; timeZone: string };
    segmentMs: number;
    /** The ladder's rung each camera starts at, where the trial proposed less than full. */
    startRungs?: Readonly<Record<string, number>>;
  },
): RecordingPlan {
  const on = all.filter((s) => s.enabled && s.check === 'ok');
  const layout = programLayout([...all]);
  return {
    cameras: on
      .filter((s) => s.kind === 'camera')
      .map((s) => ({
        sourceId: s.sourceId,
        deviceId: s.deviceId,
        label: s.deviceNo ? sourceTitle(t, s) : s.label,
        role: s.role,
        ...CAMERA_FORMAT,
        bitrate: CAMERA_BITRATE,
        ...(o.startRungs?.[s.sourceId] !== undefined
          ? { startRung: o.startRungs[s.sourceId]! }
          : {}),
      })),
    microphones: on
      .filter((s) => s.kind === 'microphone')
      .map((s) => ({
        sourceId: s.sourceId,
        deviceId: s.deviceId,
        label: s.deviceNo ? sourceTitle(t, s) : s.label,
      })),
    ...(layout.main
      ? {
          program: {
            sourceId: 'program',
            mainSourceId: layout.main,
            ...(layout.inset ? { insetSourceId: layout.inset } : {}),
            ...(layout.audio ? { audioSourceId: layout.audio } : {}),
            caption: o.caption,
            width: 1280,
            height: 720,
            bitrate: PROGRAM_BITRATE,
          },
        }
      : {}),
    segmentMs: o.segmentMs,
  };
}
