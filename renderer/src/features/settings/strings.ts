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
    avList: {
      title: '音像记录事项清单',
      intro:
        '列入清单的记录，须先完成录制前检查才能开始：“全程不间断记录”须同时有摄像机和麦克风，“录音录像”至少有其一。默认依据全过程记录规定：听证、现场检查全程记录，询问、约谈录音录像，行政强制类案件全程记录。每次保存为新的一版，开始记录时记下所依据的版本。',
      version: '第 {{version}} 版，{{by}} 于 {{at}} 保存',
      defaults: '尚未修订：使用默认清单',
      session: '记录类别',
      matter: '案件类别',
      any: '所有案件',
      requirement: '要求',
      whole: '全程不间断记录',
      record: '录音录像',
      add: '增加一项',
      remove: '删除',
      note: '修订说明',
      save: '保存为新版本',
      saved: '已保存为第 {{version}} 版',
    },
    guide: {
      title: '执法用语指引',
      intro:
        '本机构执法人员的规范用语，按记录类别和环节编排。录入笔录时按 Alt+K 查找并插入到光标处；程序节点的告知语也取自这里。用语中的 {机关}、{执法人员}、{执法证号}、{当事人} 在插入时填入本次记录的内容。每次保存为新的一版。',
      version: '第 {{version}} 版，{{by}} 于 {{at}} 保存',
      defaults: '尚未修订：使用表格模板的用语',
      session: '记录类别',
      step: '环节',
      text: '用语',
      add: '增加一条',
      remove: '删除',
      note: '修订说明',
      save: '保存为新版本',
      saved: '已保存为第 {{version}} 版',
    },
    calendar: {
      title: '节假日与调休',
      intro:
        '行政处罚法规定的期间（如申请听证的五日、通知听证的七日）按工作日计算，不含法定节假日。请按国务院每年公布的安排，录入落在工作日的节假日和周末调休上班的日子；周六、周日默认休息。',
      none: '尚未录入节假日或调休。',
      day: '日期',
      kind: '类别',
      kinds: { holiday: '节假日（休息）', workday: '调休上班' },
      note: '说明（如：春节）',
      add: '录入',
      remove: '删除',
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
    avList: {
      title: 'Matters recorded on A/V',
      intro:
        'A listed kind of record starts only once its recording is checked: picture and sound to record it whole, one of them to record it. The default follows the rules: hearings and on-site inspections whole, interviews and summons talks recorded, administrative coercion whole. Each save is a new version; a session records the version it started under.',
      version: 'Version {{version}}, saved by {{by}} at {{at}}',
      defaults: 'Not revised yet: the default list',
      session: 'Kind of record',
      matter: 'Kind of case',
      any: 'Any case',
      requirement: 'Requirement',
      whole: 'Record whole, without interruption',
      record: 'Record',
      add: 'Add a line',
      remove: 'Remove',
      note: 'What changed',
      save: 'Save as a new version',
      saved: 'Saved as version {{version}}',
    },
    guide: {
      title: 'Phrase guide',
      intro:
        'The agency’s standard phrases for officers, by kind of record and step. In the transcript, Alt+K finds one and inserts it at the caret; the procedure notices take their words from here too. {机关} (agency), {执法人员} (officers), {执法证号} (certificate numbers) and {当事人} (party) are filled in. Each save is a new version.',
      version: 'Version {{version}}, saved by {{by}} at {{at}}',
      defaults: 'Not revised yet: the form templates’ wording',
      session: 'Kind of record',
      step: 'Step',
      text: 'Phrase',
      add: 'Add a phrase',
      remove: 'Remove',
      note: 'What changed',
      save: 'Save as a new version',
      saved: 'Saved as version {{version}}',
    },
    calendar: {
      title: 'Holidays and working days',
      intro:
        'Periods of the Administrative Penalty Law (the five days to ask for a hearing, the seven days’ notice of it) count working days, statutory holidays excluded. Enter the holidays that fall on weekdays and the weekend days worked instead, as the State Council publishes them each year; Saturdays and Sundays are days off otherwise.',
      none: 'No holidays or working days entered yet.',
      day: 'Date',
      kind: 'Kind',
      kinds: { holiday: 'Holiday (day off)', workday: 'Working day' },
      note: 'Note (e.g. Spring Festival)',
      add: 'Enter',
      remove: 'Remove',
    },
  },
};

export default defineStrings(zhCN, en);
