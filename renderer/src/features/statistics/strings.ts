/** 统计监督: the supervision screen for leaders and the legal-affairs office. */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  statistics: {
    nav: '统计监督',
    title: '统计监督',
    intro:
      '按期间和承办单位统计执法全过程记录的情况，供负责人和法制机构审查、监督和考评。案件按立案时间、询问听证等按开始录制时间、其他事项按办理时间计入期间；点击数字或图表可查看涉及的案件。',
    period: '统计期间',
    from: '起始日期',
    to: '截止日期',
    unit: '承办单位',
    allUnits: '全部单位',
    noUnit: '未指定单位',
    presets: {
      thisYear: '本年',
      lastYear: '上年',
      thisQuarter: '本季度',
      thisMonth: '本月',
    },
    count: '统计',
    counting: '正在统计…',
    csv: '导出 CSV',
    report: '导出报表（PDF）',
    exported: '已导出：{{file}}',
    reported: '已生成统计报表（工作站签名）：{{file}}',
    countedAt: '统计于 {{at}}',
    total: '合计',
    duration: '{{h}} 小时 {{m}} 分',
    underAMinute: '不足 1 分钟',
    cases: '涉及 {{count}} 件',
    drill: {
      title: '{{figure}} · {{part}}：涉及案件',
      shown: '共 {{total}} 件，显示前 {{shown}} 件',
      caseNo: '案件编号',
      cause: '案由',
      phase: '所处阶段',
      unit: '承办单位',
      value: '数值',
      close: '关闭',
      empty: '没有涉及的案件。',
    },
    badPeriod: '请填写起止日期，截止日期不早于起始日期。',
  },
};

const en: Translation<typeof zhCN> = {
  statistics: {
    nav: 'Supervision',
    title: 'Supervision statistics',
    intro:
      'How the whole-process record was kept, by period and handling unit, for leaders and the legal-affairs office to review, supervise and evaluate. Cases count by when they were opened, interviews and hearings by when recording started, other acts by when they were done; click a number or a chart to see the cases behind it.',
    period: 'Period',
    from: 'From',
    to: 'To',
    unit: 'Handling unit',
    allUnits: 'All units',
    noUnit: 'No unit',
    presets: {
      thisYear: 'This year',
      lastYear: 'Last year',
      thisQuarter: 'This quarter',
      thisMonth: 'This month',
    },
    count: 'Count',
    counting: 'Counting…',
    csv: 'Export CSV',
    report: 'Export report (PDF)',
    exported: 'Exported: {{file}}',
    reported: 'Report made (signed by the workstation): {{file}}',
    countedAt: 'Counted at {{at}}',
    total: 'Total',
    duration: '{{h}} h {{m}} min',
    underAMinute: 'under a minute',
    cases: '{{count}} cases',
    drill: {
      title: '{{figure}} · {{part}}: the cases',
      shown: '{{total}} cases, the first {{shown}} shown',
      caseNo: 'Case no.',
      cause: 'Cause',
      phase: 'Phase',
      unit: 'Handling unit',
      value: 'Value',
      close: 'Close',
      empty: 'No cases.',
    },
    badPeriod: 'Fill in both dates; the end may not be before the start.',
  },
};

export default defineStrings(zhCN, en);
