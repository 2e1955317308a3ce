/** 系统设置: the agency's settings on this workstation. */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  settings: {
    nav: '系统设置',
    title: '系统设置',
    timeZone: {
      title: '时区',
      intro:
        '界面、笔录、封存包、光盘标签和案卷目录中的所有时间都按本机构的时区显示和打印；机读文件（封存包信息、JSON）同时写明与协调世界时的时差。每次询问开始时记下当时的时区，以后更改不影响已录制的时间。',
      current: '当前时区：{{zone}}（{{offset}}），现在是 {{now}}。',
      fromMachine: '未设置，沿用本机系统时区。',
      set: '由管理员设置。',
      field: '本机构时区',
      save: '保存时区',
      saved: '时区已保存。',
      clear: '改回本机系统时区（{{zone}}）',
    },
  },
};

const en: Translation<typeof zhCN> = {
  settings: {
    nav: 'Settings',
    title: 'Settings',
    timeZone: {
      title: 'Time zone',
      intro:
        'Every time on screen, in records, bundles, disc labels and case-file indexes is shown and printed in the agency’s time zone; machine-readable files (bag-info, JSON) also state the offset from UTC. Each session notes the zone when it starts, so a later change never moves a recording’s times.',
      current: 'Current zone: {{zone}} ({{offset}}); it is now {{now}}.',
      fromMachine: 'Not set: the machine’s own zone applies.',
      set: 'Set by an administrator.',
      field: 'The agency’s time zone',
      save: 'Save time zone',
      saved: 'Time zone saved.',
      clear: 'Back to the machine’s zone ({{zone}})',
    },
  },
};

export default defineStrings(zhCN, en);
