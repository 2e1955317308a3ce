/**
 * The pre-flight's proposal of registered device numbers and roles: a device that cannot
 * record gets no number; usable ones get distinct, active numbers of their kind, in order.
 */
import { describe, expect, it } from 'vitest';
import {
  preflightProblems,
  proposeDeviceNumbers,
  type PreflightSource,
  type RegisteredDevice,
} from '../../../renderer/src/features/recording/preflightModel';

const reg = (
  deviceNo: string,
  kind: RegisteredDevice['kind'],
  extra: Partial<RegisteredDevice> = {},
): RegisteredDevice => ({ deviceNo, kind, active: true, room: null, ...extra });

const src = (
  sourceId: string,
  check: PreflightSource['check'],
  extra: Partial<PreflightSource> = {},
): PreflightSource => ({
  sourceId,
  kind: sourceId.startsWith('cam') ? 'camera' : 'microphone',
  deviceId: `dev-${sourceId}`,
  label: sourceId,
  enabled: check !== 'unusable',
  deviceNo: '',
  role: sourceId.startsWith('cam') ? 'other' : 'ambient',
  check,
  verdict: null,
  ...extra,
});

const numbers = (list: PreflightSource[]) => list.map((s) => [s.sourceId, s.deviceNo]);

describe('proposeDeviceNumbers', () => {
  it('gives the depth camera that cannot record no number and numbers the usable one', () => {
    // The new user's room: two registered cameras, the second device found is a depth camera.
    const register = [
      reg('CAM-01', 'camera'),
      reg('CAM-02', 'camera'),
      reg('MIC-01', 'microphone'),
    ];
    const out = proposeDeviceNumbers(
      [src('cam1', 'ok'), src('cam2', 'unusable'), src('cam3', 'ok'), src('mic1', 'ok')],
      register,
    );
    expect(numbers(out)).toEqual([
      ['cam1', 'CAM-01'],
      ['cam2', ''],
      ['cam3', 'CAM-02'],
      ['mic1', 'MIC-01'],
    ]);
    // The proposal passes the check's numbering rules as it stands.
    const keys = preflightProblems(out, { freeBytes: 2, expectedBytes: 1 }, 0).map((p) => p.key);
    expect(keys).toEqual([]);
  });

  it('takes a number away from a source found unusable', () => {
    const out = proposeDeviceNumbers(
      [src('cam1', 'unusable', { deviceNo: 'CAM-01', role: 'interviewee_closeup' })],
      [reg('CAM-01', 'camera')],
    );
    expect(out[0]!.deviceNo).toBe('');
  });

  it('uses only active numbers of the source’s own kind, each once, in number order', () => {
    const register = [
      reg('CAM-10', 'camera'),
      reg('MIC-01', 'microphone'),
      reg('CAM-2', 'camera'),
      reg('CAM-01', 'camera', { active: false }),
      reg('CAM-03', 'camera'),
    ];
    const out = proposeDeviceNumbers(
      [
        src('cam1', 'ok'),
        src('cam2', 'ok'),
        src('cam3', 'ok'),
        src('cam4', 'ok'),
        src('mic1', 'ok'),
        src('mic2', 'ok'),
      ],
      register,
    );
    expect(numbers(out)).toEqual([
      ['cam1', 'CAM-2'],
      ['cam2', 'CAM-03'],
      ['cam3', 'CAM-10'],
      ['cam4', ''],
      ['mic1', 'MIC-01'],
      ['mic2', ''],
    ]);
  });

  it('is stable: the register’s order does not matter, and a second pass changes nothing', () => {
    const register = [reg('CAM-01', 'camera'), reg('CAM-02', 'camera'), reg('CAM-03', 'camera')];
    const sources = [
      src('cam1', 'ok'),
      src('cam2', 'unusable'),
      src('cam3', 'ok'),
      src('cam4', 'ok'),
    ];
    const a = proposeDeviceNumbers(sources, register);
    const b = proposeDeviceNumbers(sources, [...register].reverse());
    expect(b).toEqual(a);
    expect(proposeDeviceNumbers(a, register)).toEqual(a);
    // The input is not changed.
    expect(sources.every((s) => s.deviceNo === '')).toBe(true);
  });

  it('keeps a valid number already chosen and leaves a camera still being checked alone', () => {
    const register = [reg('CAM-01', 'camera'), reg('CAM-02', 'camera'), reg('CAM-03', 'camera')];
    const out = proposeDeviceNumbers(
      [
        src('cam1', 'checking'),
        src('cam2', 'ok', { deviceNo: 'cam-02' }),
        src('cam3', 'ok', { deviceNo: 'MIC-09' }),
      ],
      register,
    );
    expect(numbers(out)).toEqual([
      ['cam1', ''],
      ['cam2', 'cam-02'],
      ['cam3', 'CAM-01'],
    ]);
  });

  it('keeps what the officer chose by hand, even no number or the role "other"', () => {
    const register = [reg('CAM-01', 'camera'), reg('CAM-02', 'camera')];
    const out = proposeDeviceNumbers(
      [
        src('cam1', 'ok', { chosen: true }),
        src('cam2', 'ok'),
        src('cam3', 'unusable', { deviceNo: 'CAM-02', chosen: true }),
      ],
      register,
    );
    expect(numbers(out)).toEqual([
      ['cam1', ''],
      ['cam2', 'CAM-01'],
      ['cam3', ''],
    ]);
    expect(out.map((s) => s.role)).toEqual(['other', 'interviewee_closeup', 'other']);
  });

  it('numbers the ticked sources first when the register runs short', () => {
    const out = proposeDeviceNumbers(
      [src('cam1', 'ok', { enabled: false }), src('cam2', 'ok'), src('cam3', 'ok')],
      [reg('CAM-01', 'camera'), reg('CAM-02', 'camera')],
    );
    expect(numbers(out)).toEqual([
      ['cam1', ''],
      ['cam2', 'CAM-01'],
      ['cam3', 'CAM-02'],
    ]);
  });

  it('prefers the devices of the session’s room, then those of no room', () => {
    const register = [
      reg('CAM-01', 'camera', { room: '1号询问室' }),
      reg('CAM-02', 'camera'),
      reg('CAM-03', 'camera', { room: '2号询问室' }),
    ];
    const out = proposeDeviceNumbers([src('cam1', 'ok'), src('cam2', 'ok')], register, '2号询问室');
    expect(numbers(out)).toEqual([
      ['cam1', 'CAM-03'],
      ['cam2', 'CAM-02'],
    ]);
  });

  it('gives the usable cameras the close-up, the wide view and the desk, skipping the failing one', () => {
    const out = proposeDeviceNumbers(
      [
        src('cam1', 'ok'),
        src('cam2', 'unusable'),
        src('cam3', 'ok'),
        src('cam4', 'ok', { role: 'interviewee_closeup' }),
        src('cam5', 'ok'),
        src('mic1', 'ok', { role: 'other' }),
      ],
      [],
    );
    expect(out.map((s) => [s.sourceId, s.role])).toEqual([
      ['cam1', 'room_wide'],
      ['cam2', 'other'],
      ['cam3', 'desk_document'],
      ['cam4', 'interviewee_closeup'],
      ['cam5', 'other'],
      ['mic1', 'ambient'],
    ]);
  });

  it('gives a numbered source the role its device is registered for, unless chosen by hand', () => {
    const register = [
      reg('CAM-01', 'camera', { role: 'room_wide' }),
      reg('CAM-02', 'camera', { role: 'interviewee_closeup' }),
      reg('CAM-03', 'camera'),
      reg('MIC-01', 'microphone', { role: 'ambient' }),
    ];
    const out = proposeDeviceNumbers(
      [
        src('cam1', 'ok'),
        src('cam2', 'ok'),
        src('cam3', 'ok', { deviceNo: 'CAM-03' }),
        src('cam4', 'ok', { deviceNo: 'CAM-01', role: 'desk_document', chosen: true }),
        src('mic1', 'ok'),
      ],
      register,
    );
    expect(out.map((s) => [s.sourceId, s.deviceNo, s.role])).toEqual([
      // CAM-01 went to cam4 by hand; cam1 gets the next number and its role; cam2 none left.
      ['cam1', 'CAM-02', 'interviewee_closeup'],
      ['cam2', '', 'room_wide'],
      // CAM-03 names no role: the usual ones are taken, so it stays 其他.
      ['cam3', 'CAM-03', 'other'],
      ['cam4', 'CAM-01', 'desk_document'],
      ['mic1', 'MIC-01', 'ambient'],
    ]);
  });
});
