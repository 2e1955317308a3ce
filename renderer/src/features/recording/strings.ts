/**
 * Recording (pre-flight, devices, health) and playback.
 */
import { ZH_ENUMS } from '@shared/names-zh';
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  recording: {
    interrupted: '录制已中断：请恢复录制并说明原因，或以书面说明结束。',
    resume: '恢复录制',
    resumeReason: '中断原因',
    resumeSayAloud: '恢复录制后，请首先口头说明中断的原因（R3.5），使其录入音像记录。',
    abandon: '无法恢复',
    abandonBody: '录制无法恢复时，应作书面说明，由两名以上执法人员签名（R3.5）。',
    abandonStatement: '书面说明',
    abandonOfficers: '签名的执法人员（至少两名）',
    abandonConfirm: '除当前登录的执法人员外，其他签名的执法人员须本人输入账号和密码。',
    preflightIntro:
      '录制前检查（R3.6）：检查摄像机、拾音器、存储空间和时钟，并把每路信号对应到已登记的设备编号。',
    discover: '开始录制前检查',
    discovering: '正在检查设备…',
    device: '设备',
    preview: '画面 / 音量',
    deviceNo: '设备编号',
    deviceNoFor: '{{label}} 的设备编号',
    roleFor: '{{label}} 的用途',
    include: '录制 {{label}}',
    unregistered: '（未登记）',
    noNumberUnusable: '（不分配编号）',
    role: {
      label: '用途',
      ...ZH_ENUMS.sourceRole,
    },
    check: { checking: '检测中…', ok: '可录制', unusable: '无法录制' },
    disk: '存储空间',
    diskValue: '可用 {{free}}，预计需要 {{need}}',
    clock: '系统时钟',
    skew: '与核心服务相差 {{ms}} 毫秒',
    problems: '检查未通过',
    problem: {
      noCamera: '至少选择一台摄像机',
      noMicrophone: '至少选择一个拾音器',
      unregistered: '有设备未对应登记的设备编号',
      duplicateDeviceNo: '同一设备编号被重复使用',
      disk: '存储空间不足以完成本次录制',
      tooManyCameras: '本机最多同时录制 4 路摄像机',
      unusableEnabled: '选中的设备无法录制',
      clock: '本机时钟与核心服务不一致，请校准时间',
    },
    confirm: '确认检查结果',
    confirmed: '已确认，可开始录制',
    needPreflight: '请先完成录制前检查并确认。',
    program: '合成画面',
    dropped: '丢帧 {{n}}',
    state: {
      starting: '启动中',
      recording: '录制中',
      lost: '信号中断',
      stopped: '已停止',
      failed: '故障',
    },
    notOnThisScreen: '录制正在进行，但不在本窗口。',
    stalled: '画面中断，正在重新读取设备',
  },
  playback: {
    nothing: '本次记录没有可回放的音像。',
    play: '播放',
    pause: '暂停',
    position: '回放位置',
  },
};

const en: Translation<typeof zhCN> = {
  recording: {
    interrupted:
      'Recording was interrupted: resume it and state why, or end it with a written statement.',
    resume: 'Resume recording',
    resumeReason: 'Reason for the interruption',
    resumeSayAloud:
      'Once recording runs again, first state the reason for the interruption aloud (R3.5) so it is on the recording.',
    abandon: 'Cannot resume',
    abandonBody:
      'If recording cannot resume, a written statement signed by two or more officers ends it (R3.5).',
    abandonStatement: 'Written statement',
    abandonOfficers: 'Officers who sign (at least two)',
    abandonConfirm:
      'Every officer who signs, other than the one signed in, enters their own username and password.',
    preflightIntro:
      'Pre-flight check (R3.6): check cameras, microphones, storage and the clock, and map each source to its registered device number.',
    discover: 'Run the pre-flight check',
    discovering: 'Checking devices…',
    device: 'Device',
    preview: 'Picture / level',
    deviceNo: 'Device number',
    deviceNoFor: 'Device number of {{label}}',
    roleFor: 'Role of {{label}}',
    include: 'Record {{label}}',
    unregistered: '(not registered)',
    noNumberUnusable: '(no number)',
    role: {
      label: 'Role',
      interviewee_closeup: 'Interviewee close-up',
      room_wide: 'Room, wide',
      desk_document: 'Desk / documents',
      hearing_bench: 'Hearing bench',
      ambient: 'Room sound',
      other: 'Other',
    },
    check: { checking: 'Checking…', ok: 'Can record', unusable: 'Cannot record' },
    disk: 'Storage',
    diskValue: '{{free}} free, about {{need}} needed',
    clock: 'System clock',
    skew: '{{ms}} ms from the core',
    problems: 'Check not passed',
    problem: {
      noCamera: 'Choose at least one camera',
      noMicrophone: 'Choose at least one microphone',
      unregistered: 'A device is not mapped to a registered device number',
      duplicateDeviceNo: 'A device number is used twice',
      disk: 'Not enough storage for this session',
      tooManyCameras: 'This machine records at most 4 cameras at once',
      unusableEnabled: 'A chosen device cannot record',
      clock: "This machine's clock disagrees with the core; set the time",
    },
    confirm: 'Confirm the check',
    confirmed: 'Confirmed: ready to record',
    needPreflight: 'Run and confirm the pre-flight check first.',
    program: 'Program',
    dropped: '{{n}} dropped',
    state: {
      starting: 'Starting',
      recording: 'Recording',
      lost: 'Signal lost',
      stopped: 'Stopped',
      failed: 'Failed',
    },
    notOnThisScreen: 'Recording is running, but not in this window.',
    stalled: 'No picture: reading the device afresh',
  },
  playback: {
    nothing: 'Nothing was recorded in this session.',
    play: 'Play',
    pause: 'Pause',
    position: 'Playback position',
  },
};

export default defineStrings(zhCN, en);
