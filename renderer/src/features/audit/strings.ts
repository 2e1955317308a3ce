/** 审计日志: the audit viewer for the legal-affairs office and administrators. */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  auditViewer: {
    nav: '审计日志',
    title: '审计日志',
    intro:
      '本工作站的全部操作记录：谁在何时对什么做了什么。记录只可追加，每条都带有前一条的哈希，改动任何一条都会被校验发现；其头部定期签名存放在数据库之外。',
    chain: {
      title: '完整性校验',
      check: '校验审计链',
      checking: '正在校验…',
      ok: '完好：共 {{count}} 条，与 {{anchors}} 个外部签名锚点一致。',
      broken: '已被改动：第 {{seq}} 条起不再成立。',
      brokenAnchors: '校验未通过：与外部签名锚点不一致，或锚点无法读取。',
    },
    filter: {
      title: '筛选',
      caseNo: '案件编号',
      person: '操作人',
      kind: '类别',
      from: '起始日期',
      to: '截止日期',
      any: '全部',
      search: '查询',
      csv: '导出 CSV',
      exported: '已导出 {{rows}} 条记录：{{file}}',
      truncated: '已导出前 {{rows}} 条记录（单次导出上限）：{{file}}。请缩小筛选范围导出其余记录。',
    },
    col: {
      seq: '序号',
      at: '时间',
      actor: '操作人',
      action: '操作',
      entity: '对象',
      case: '案件',
      hash: '校验值',
    },
    report: {
      make: '本案报告（PDF）',
      needCase: '请先填写案件编号：报告按案件编制。',
      made: '已生成本案操作记录报告（{{entries}} 条记录，工作站签名）：{{file}}',
    },
    system: '系统',
    surface: '签名终端',
    number: '（编号 {{n}}）',
    empty: '没有符合条件的记录。',
    more: '加载更多',
    shown: '已显示 {{count}} 条',
  },
};

const en: Translation<typeof zhCN> = {
  auditViewer: {
    nav: 'Audit trail',
    title: 'Audit trail',
    intro:
      'Everything done on this workstation: who did what to what, and when. The trail only grows; each entry carries the hash of the one before, so a change to any entry is found by the check; its head is signed and kept outside the database at intervals.',
    chain: {
      title: 'Integrity',
      check: 'Check the trail',
      checking: 'Checking…',
      ok: 'Intact: {{count}} entries, in agreement with {{anchors}} signed anchors outside it.',
      broken: 'Altered: it no longer holds from entry {{seq}} on.',
      brokenAnchors:
        'Not confirmed: it disagrees with the signed anchors outside it, or they cannot be read.',
    },
    filter: {
      title: 'Filter',
      caseNo: 'Case number',
      person: 'Person',
      kind: 'Kind',
      from: 'From',
      to: 'To',
      any: 'All',
      search: 'Search',
      csv: 'Export CSV',
      exported: 'Exported {{rows}} entries: {{file}}',
      truncated:
        'Exported the first {{rows}} entries (the most one export holds): {{file}}. Narrow the filter to export the rest.',
    },
    col: {
      seq: 'No.',
      at: 'Time',
      actor: 'Person',
      action: 'Act',
      entity: 'About',
      case: 'Case',
      hash: 'Hash',
    },
    report: {
      make: 'Case report (PDF)',
      needCase: 'Enter a case number first: the report is made for one case.',
      made: 'Made the case’s audit report ({{entries}} entries, signed by the workstation): {{file}}',
    },
    system: 'System',
    surface: 'Signing surface',
    number: ' (no. {{n}})',
    empty: 'No entries match.',
    more: 'Load more',
    shown: '{{count}} shown',
  },
};

export default defineStrings(zhCN, en);
