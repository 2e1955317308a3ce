/**
 * The Chinese names of the domain's enums: what the zh-CN interface shows and what every
 * document the core prints (case-file index, 操作记录, labels) writes, from this one table.
 */
export const ZH_ENUMS = {
  phase: {
    initiation: '启动',
    investigation: '调查取证',
    review: '审查决定',
    service: '送达执行',
    archiving: '归档',
  },
  matterKind: {
    penalty: '行政处罚',
    inspection: '行政检查',
    licensing: '行政许可',
    coercion: '行政强制',
    levy: '行政征收',
    confirmation: '行政确认',
    payment: '行政给付',
    adjudication: '行政裁决',
    other: '其他',
  },
  originKind: {
    ex_officio: '依职权',
    application: '依申请',
    complaint: '投诉举报',
    referral: '移送',
  },
  sessionKind: {
    interview: '询问',
    hearing: '听证',
    summons: '约谈',
    inspection: '现场检查',
  },
  sessionStatus: {
    planned: '待开始',
    recording: '录制中',
    interrupted: '已中断',
    ended: '已结束',
    sealed: '已封存',
  },
  participantRole: {
    party: '当事人',
    agent: '委托代理人',
    legal_representative: '法定代表人',
    witness: '证人',
    third_party: '第三人',
    interpreter: '翻译人员',
    other: '其他',
  },
  officerSessionRole: {
    interviewer: '询问人',
    recorder: '记录人',
    moderator: '主持人',
    investigator: '调查人员',
  },
  approvalRole: {
    handler: '承办人',
    reviewer: '审核人',
    approver: '批准人',
  },
  approvalDecision: {
    agree: '同意',
    disagree: '不同意',
    return: '退回',
  },
  gender: { male: '男', female: '女' },
  partyKind: {
    person: '自然人',
    organisation: '法人或其他组织',
  },
  idType: {
    resident_id: '居民身份证',
    passport: '护照',
    hk_macao_permit: '港澳居民来往内地通行证',
    taiwan_permit: '台湾居民来往大陆通行证',
    uscc: '统一社会信用代码',
    other: '其他',
  },
  userRole: {
    officer: '执法人员',
    moderator: '听证主持人',
    clerk: '书记员',
    legal_reviewer: '法制审核人员',
    leader: '负责人',
    admin: '系统管理员',
  },
  sourceRole: {
    interviewee_closeup: '被询问人近景',
    room_wide: '全景',
    desk_document: '桌面文书',
    hearing_bench: '听证席',
    ambient: '环境拾音',
    other: '其他',
  },
  sourceKind: {
    camera: '摄像机',
    microphone: '拾音器',
    program: '合成画面',
  },
  deviceKind: {
    camera: '摄像机',
    microphone: '拾音器（麦克风）',
  },
  speaker: {
    question: '问',
    answer: '答',
    moderator: '主持人',
    investigator: '调查人员',
    party: '当事人',
    agent: '委托代理人',
    witness: '证人',
    third_party: '第三人',
    recorder: '记录员',
  },
  markerKind: {
    identity_shown: '表明身份、出示证件',
    recording_announced: '告知录音录像',
    rights_explained: '告知权利义务',
    identity_checked: '核对当事人身份',
    discipline_announced: '宣布听证纪律',
    recusal_asked: '询问是否申请回避',
    investigation: '调查',
    cross_examination: '质证',
    debate: '辩论',
    final_statement: '最后陈述',
    interruption: '记录中断',
    resumed: '恢复记录',
    refusal: '拒绝签名',
  },
  accessMode: { view: '查阅', copy: '复制' },
  grantState: {
    pending: '待审批',
    approved: '有效',
    refused: '不予批准',
    revoked: '已撤销',
    expired: '已到期',
  },
  classification: {
    none: '不涉密',
    state_secret: '国家秘密',
    commercial_secret: '商业秘密',
    personal_privacy: '个人隐私',
  },
  copyDecision: { granted: '批准', partly_granted: '部分批准', refused: '不予批准' },
  copyRequesterRole: { party: '当事人', agent: '委托代理人', legal_representative: '法定代表人' },
  teamBasis: { case_officer: '办案人员', session_officer: '询问/听证人员', clerk: '书记员' },
} as const;

/** The Chinese name of one value of one enum, the value itself when the table lacks it. */
export function zhName<E extends keyof typeof ZH_ENUMS>(e: E, value: string): string {
  return (ZH_ENUMS[e] as Record<string, string>)[value] ?? value;
}
