/** 听证报告: the moderator's report after a hearing, signed in person and sealed with it. */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  hearings: {
    report: {
      title: '听证报告',
      intro:
        '听证结束后，由主持人就听证情况和处理意见向负责人提出书面报告。报告由主持人本人确认签署后定稿，随听证录音录像和听证笔录一并封存；未签署的不能封存。',
      sections: {
        investigatorCase: '一、调查人员提出的违法事实、证据和处理建议',
        partyCase: '二、当事人及其委托代理人的陈述、申辩和质证意见',
        findings: '三、听证认定的事实和证据',
        recommendation: '四、主持人意见及处理建议',
      },
      save: '保存报告',
      saved: '第 {{version}} 稿已保存（{{by}}，{{at}}）',
      none: '尚未撰写。',
      sign: '主持人 {{name}} 本人签署',
      signHint: '签署的是上面第 {{version}} 稿；签署后报告定稿，不能再修改。',
      signed: '已由主持人 {{name}} 签署（{{presence}}，{{at}}）',
      presence: { signed_in: '本人登录确认', password: '输入本人口令确认' },
      file: '报告文件：{{path}}',
      sha256: 'SHA-256：{{sha256}}',
      unsaved: '有未保存的修改，请先保存再签署。',
      notModerator: '签署须由主持人本人确认：请主持人输入本人的用户名和密码。',
    },
  },
};

const en: Translation<typeof zhCN> = {
  hearings: {
    report: {
      title: 'Hearing report',
      intro:
        'After the hearing, its moderator reports in writing to the agency’s leader on what was heard and how the case should be decided. The moderator signs the report in person; it is then final and is sealed with the hearing’s recording and record. A hearing is not sealed without it.',
      sections: {
        investigatorCase: '1. The investigators’ facts, evidence and proposal',
        partyCase:
          '2. The statements, defence and views on the evidence of the party and its agent',
        findings: '3. The facts and evidence as the hearing found them',
        recommendation: '4. The moderator’s opinion and recommendation',
      },
      save: 'Save the report',
      saved: 'Version {{version}} saved ({{by}}, {{at}})',
      none: 'Not written yet.',
      sign: 'Moderator {{name}} signs in person',
      signHint: 'This signs version {{version}} above; once signed, the report is final.',
      signed: 'Signed by the moderator {{name}} ({{presence}}, {{at}})',
      presence: { signed_in: 'signed in', password: 'with their own password' },
      file: 'Report file: {{path}}',
      sha256: 'SHA-256: {{sha256}}',
      unsaved: 'There are unsaved changes: save before signing.',
      notModerator:
        'The moderator signs in person: the moderator types their own username and password.',
    },
  },
};

export default defineStrings(zhCN, en);
