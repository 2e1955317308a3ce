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
    lanOnly: '这个地址只用于实时观看询问、听证：请打开执法人员提供的观看地址。',
    viaRelay: '画面和声音经中继服务器转发；观看的开始和结束仍记入本工作站的审计日志。',
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
    remote: {
      title: '远程参加询问、听证',
      consent:
        '您受邀以视频方式参加行政执法询问或听证。加入后，您的画面和声音将被全程录音录像，并与询问、听证的记录一同保存；您也会看到和听到现场。请在安静、光线充足的地方参加，并准备好身份证件以便核实身份。',
      join: '同意并加入',
      joining: '正在加入…',
      joined: '已加入：{{name}}（{{role}}）。您正在被录音录像。',
      room: '现场画面',
      self: '您的画面',
      leave: '退出',
      left: '您已退出。如需重新加入，请再次打开邀请链接。',
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
      lanAddress: '局域网观看地址（其他办公室的电脑打开）',
      fingerprint: '证书指纹（打开前请核对浏览器显示的指纹与此一致）',
      notes: '观看人员留言',
      remotes: '远程参加人员',
      noRemotes: '尚无远程参加人员加入',
      inviteTitle: '邀请远程参加人员',
      inviteName: '姓名',
      inviteRole: '身份',
      invite: '生成邀请链接',
      invited: '请将以下链接交给{{name}}（仅此一人使用，{{at}}前有效；链接只显示这一次）：',
      sending: '发送画面和声音',
      credential: '出示的证件（种类和号码）',
      checkIdentity: '记录视频核验身份',
      identityChecked: '已视频核验身份：{{credential}}（{{by}}）',
      identityUnchecked: '尚未核验身份：请对方在镜头前出示证件',
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
    lanOnly:
      'This address serves only watching interviews and hearings live: open the address the officers gave you.',
    viaRelay:
      "Pictures and sound come through the relay server; the viewing's start and end are still on this workstation's audit trail.",
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
    remote: {
      title: 'Take part remotely',
      consent:
        'You are invited to take part in an administrative enforcement interview or hearing by video. Once you join, your picture and sound are recorded throughout and kept with the record of the interview or hearing; you will also see and hear the room. Please join from a quiet, well-lit place and have your identity document ready to be checked.',
      join: 'Agree and join',
      joining: 'Joining…',
      joined: 'Joined: {{name}} ({{role}}). You are being recorded.',
      room: 'The room',
      self: 'You',
      leave: 'Leave',
      left: 'You have left. To join again, open the invitation link again.',
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
      lanAddress: 'Address on the LAN (for computers in other offices)',
      fingerprint:
        'Certificate fingerprint (check that the browser shows the same before signing in)',
      notes: 'Observers’ notes',
      remotes: 'Remote participants',
      noRemotes: 'No remote participant has joined',
      inviteTitle: 'Invite a remote participant',
      inviteName: 'Name',
      inviteRole: 'Taking part as',
      invite: 'Make the invitation link',
      invited:
        'Give this link to {{name}} (for them alone, valid until {{at}}; it is shown only this once):',
      sending: 'sending picture and sound',
      credential: 'Credential shown (kind and number)',
      checkIdentity: 'Record the identity check',
      identityChecked: 'Identity checked on video: {{credential}} ({{by}})',
      identityUnchecked:
        'Identity not yet checked: ask them to hold their credential to the camera',
    },
  },
};

export default defineStrings(zhCN, en);
