/** 实时观看: the observer's screen and the desk's forwarding panel. */
import { defineStrings } from '../../i18n/define';

const zhCN = {
  live: {
    title: '实时观看',
    intro:
      '实时观看是对音像记录的调阅：须为本案办案人员或持有经批准的查阅授权，开始和结束观看都记入审计日志。',
    connecting: '正在连接实时画面…',
    waiting: '等待画面…',
    noSources: '录制端尚未转发画面',
    leave: '结束观看',
    left: '已结束观看，记入审计日志。',
    again: '重新观看',
    back: '返回询问/听证',
    basis: '观看依据：{{basis}}',
    sound: '声音',
    playSound: '播放声音',
    transcript: '笔录（随录随显）',
    noTurns: '尚无笔录内容',
    note: {
      title: '留言记入记录',
      hint: '留言按录制计时记入本次询问、听证的记录，并显示在录制端。',
      field: '留言内容',
      send: '记入记录',
      sent: '已记入记录（{{at}}）',
    },
    desk: {
      title: '实时转发',
      intro:
        '开启后，本机录制的画面和声音原样转发给有权观看的人员（本案办案人员或持有经批准的查阅授权），不另行编码；每次观看的开始和结束都记入审计日志。',
      start: '开始实时转发',
      stop: '停止实时转发',
      on: '正在实时转发 {{count}} 路',
      observers: '正在观看',
      none: '目前无人观看',
      since: '开始观看',
      address: '观看地址',
      notes: '观看人员留言',
    },
  },
};

const en = {
  live: {
    title: 'Watch live',
    intro:
      'Watching live is viewing the record: it needs the case team or an approved viewing grant, and when you start and stop watching goes into the audit trail.',
    connecting: 'Connecting to the live picture…',
    waiting: 'Waiting for the picture…',
    noSources: 'The recording desk forwards no picture yet',
    leave: 'Stop watching',
    left: 'You stopped watching; it is in the audit trail.',
    again: 'Watch again',
    back: 'Back to the session',
    basis: 'Watching as: {{basis}}',
    sound: 'Sound',
    playSound: 'Play the sound',
    transcript: 'Record (as it is typed)',
    noTurns: 'Nothing recorded in the record yet',
    note: {
      title: 'Note for the record',
      hint: 'The note goes on this session’s record at the recording clock’s time and shows at the recording desk.',
      field: 'Note',
      send: 'Put on the record',
      sent: 'On the record ({{at}})',
    },
    desk: {
      title: 'Live forwarding',
      intro:
        'When on, the pictures and sound recorded here are forwarded as they are to the people allowed to watch (the case team, or an approved viewing grant), with no second encoding; each viewing’s start and end go into the audit trail.',
      start: 'Forward live',
      stop: 'Stop forwarding',
      on: 'Forwarding {{count}} sources live',
      observers: 'Watching now',
      none: 'No one is watching',
      since: 'watching since',
      address: 'Address to watch',
      notes: 'Observers’ notes',
    },
  },
};

export default defineStrings(zhCN, en);
