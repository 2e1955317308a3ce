/**
 * Every action the audit trail records, with its name in Chinese: the one list the core
 * writes codes from (an unlisted code is a compile error) and that 操作记录 reads them by.
 */
export const AUDIT_ACTION_NAMES = {
  'app.timeZoneSet': '设置本机构时区',
  'app.calendarDaySet': '设置节假日与调休',
  'auth.signed_in': '登录',
  'auth.failed': '登录失败',
  'user.setup': '创建管理员账户',
  'user.created': '创建用户',
  'user.enabled': '启用用户',
  'user.disabled': '停用用户',
  'user.password_changed': '修改密码',
  'officer.registered': '登记执法人员',
  'officer.confirmed': '执法人员本人确认',
  'officer.confirmation_refused': '执法人员本人确认未通过',
  'device.registered': '登记设备',
  'device.activated': '启用设备',
  'device.retired': '停用设备',
  'case.created': '立案',
  'case.phase_advanced': '进入下一阶段',
  'case.officer_assigned': '增派执法人员',
  'case.approval': '签署审批意见',
  'case.emergency_reported': '报告紧急立案',
  'intake.registered': '登记申请/投诉举报',
  'intake.correction_asked': '告知补正材料',
  'intake.correction_made': '补正材料',
  'intake.decided': '受理/立案决定',
  'approval.proposed': '提出审批（承办人意见）',
  'approval.reviewed': '法制审核意见',
  'approval.discussed': '集体讨论记录',
  'approval.discussion_signed': '集体讨论签名',
  'approval.decided': '负责人审批意见',
  'document.identity_set': '设置机关名称与印章',
  'document.issued': '制发文书',
  'document.served': '送达文书',
  'document.receipt_attached': '附送达回执',
  'document.executed': '记录执行情况',
  'filing.filed': '立卷归档',
  'retention.incident': '记录妨碍执法等情形',
  'retention.decided': '长期保存审核',
  'guide.saved': '修订执法用语指引',
  'avList.saved': '修订音像记录事项清单',
  'party.added': '添加当事人',
  'party.updated': '补充更正当事人信息',
  'case_file.policy': '设置归档期限',
  'session.created': '新建询问/听证',
  'session.started': '开始记录',
  'session.interrupted': '记录中断',
  'session.resumed': '恢复记录',
  'session.ended': '结束记录',
  'session.abandoned': '放弃未开始的询问/听证',
  'session.sealed': '封存',
  'recording.preflight_saved': '保存录制前检查',
  'recording.checkpoint': '录制检查点',
  'media.segment_opened': '开始写入音像文件',
  'media.segment_closed': '音像文件写入完成',
  'media.segment_recovered': '恢复中断的音像文件',
  'media.read': '查看音像文件',
  'signing.opened': '开始签名',
  'signing.notice_overridden': '未记录告知而开始签名（执法人员说明）',
  'signing.refreshed': '刷新待签笔录',
  'signing.surface_issued': '启用签名终端',
  'signing.page_viewed': '当事人阅读笔录页',
  'signing.correction_confirmed': '当事人确认更正',
  'signing.page_signed': '当事人逐页签名',
  'signing.seam_signed': '当事人骑缝签名',
  'signing.closing_signed': '当事人签署意见',
  'signing.officer_armed': '签名板交执法人员签名',
  'signing.officer_disarmed': '收回执法人员签名板',
  'signing.officer_signed': '执法人员签名',
  'signing.refused': '拒绝在笔录上签名',
  'hearing.report_saved': '撰写听证报告',
  'hearing.report_signed': '主持人签署听证报告',
  'hearing.notice_served': '告知听证权利（听证告知书）',
  'hearing.answer_recorded': '记录当事人听证申请或放弃',
  'hearing.summons_served': '通知听证时间地点（听证通知书）',
  'signing.finished': '笔录签名完成',
  'signing.lan_paired': '配对签名平板',
  'signing.lan_unpaired': '解除签名平板配对',
  'bundle.verified': '核验封存包',
  'bundle.replicated': '复制封存包到存储目标',
  'bundle.unrecorded': '发现未入库的音像文件',
  'storage.target_created': '添加存储目标',
  'storage.target_updated': '修改存储目标',
  'storage.target_enabled': '启用存储目标',
  'storage.target_disabled': '停用存储目标',
  'storage.target_tested': '测试存储目标',
  'disc.imaged': '制作光盘映像',
  'disc.burn.started': '刻录证据光盘',
  'disc.image.saved': '保存光盘映像',
  'disc.verified': '光盘核验通过',
  'disc.failed': '光盘核验失败',
  'trust.registered': '登记机构证书',
  'trust.withdrawn': '撤销机构证书登记',
  'trust.certificateRequested': '生成证书申请',
  'trust.identityInstalled': '安装工作站证书',
  'trust.plainSecretsAccepted': '接受明文保存存储凭据',
  'trust.timeStampAuthoritySet': '设置时间戳服务',
  'audit.exported': '导出审计日志',
  'stats.exported': '导出统计报表',
  'case.clerk_assigned': '指派书记员',
  'case.clerk_removed': '撤回书记员',
  'access.requested': '申请调阅',
  'access.approved': '批准调阅',
  'access.declined': '不予批准调阅',
  'access.revoked': '撤销调阅授权',
  'access.refused': '拒绝未经授权的调阅',
  'bundle.file_read': '查看封存文件',
  'transcript.read': '查看笔录',
  'bundle.classified': '标定文件密级',
  'copy.requested': '登记当事人复制申请',
  'copy.decided': '审批当事人复制申请',
  'copy.made': '制作当事人复制件',
  'copy.register_printed': '打印复制登记簿',
  'live.opened': '开始实时转发',
  'live.closed': '停止实时转发',
  'live.viewing_started': '开始实时观看',
  'live.viewing_ended': '结束实时观看',
  'live.noted': '实时观看人员留言',
  'live.invited': '邀请远程参加人员',
  'live.remote_joined': '远程参加人员加入',
  'live.remote_left': '远程参加人员离开',
  'live.remote_identity_checked': '视频核验远程参加人员身份',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTION_NAMES;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_NAMES) as AuditAction[];

/** A kind of act: what an action code starts with (`signing` of `signing.page_signed`). */
export type AuditKind = AuditAction extends `${infer K}.${string}` ? K : never;

/** The kinds the audit viewer filters by, with their names (every kind named, by type). */
export const AUDIT_KIND_NAMES: Record<AuditKind, string> = {
  auth: '登录',
  user: '用户账户',
  officer: '执法人员',
  device: '设备',
  case: '案件',
  party: '当事人',
  case_file: '案卷目录',
  session: '询问/听证',
  recording: '录制',
  media: '音像文件',
  signing: '笔录签名',
  bundle: '封存包',
  storage: '存储目标',
  disc: '证据光盘',
  trust: '证书与信任',
  app: '系统设置',
  audit: '审计日志',
  access: '调阅授权',
  copy: '当事人复制',
  transcript: '笔录',
  hearing: '听证报告',
  intake: '申请与投诉举报',
  approval: '审批表',
  document: '执法文书与送达',
  filing: '立卷归档',
  retention: '保存期限',
  guide: '执法用语指引',
  avList: '音像记录事项清单',
  stats: '统计监督',
  live: '实时观看',
};
export const AUDIT_KINDS = Object.keys(AUDIT_KIND_NAMES) as AuditKind[];

/** The audited things (the `entity` of an entry), with their names. */
export const AUDIT_ENTITY_NAMES = {
  app: '系统设置',
  audit: '审计日志',
  statistics: '统计报表',
  archive: '封存包库',
  approval: '审批意见',
  approval_form: '审批表',
  intake_entry: '申请/投诉举报登记',
  issued_document: '执法文书',
  service_record: '送达记录',
  agency_identity: '机关名称与印章',
  phrase_guide: '执法用语指引',
  av_list: '音像记录事项清单',
  access_request: '调阅申请',
  bundle: '封存包',
  copy_request: '复制申请',
  case: '案件',
  case_file_policy: '归档期限',
  device: '设备',
  disc: '证据光盘',
  disc_set: '光盘批次',
  officer: '执法人员',
  party: '当事人',
  session: '询问/听证',
  signing: '笔录签名',
  storage_target: '存储目标',
  trust: '证书与信任',
  trust_register: '机构证书登记册',
  user: '用户',
} as const;

export type AuditEntity = keyof typeof AUDIT_ENTITY_NAMES;

/** The Chinese name of an action; a code from an older or newer core as it is. */
export function zhActionName(code: string): string {
  return (AUDIT_ACTION_NAMES as Record<string, string>)[code] ?? code;
}

/** The Chinese name of an audited thing; a code from an older or newer core as it is. */
export function zhEntityName(code: string): string {
  return (AUDIT_ENTITY_NAMES as Record<string, string>)[code] ?? code;
}

/**
 * Whether an entry was made at a signing surface without an account (the party, or an
 * officer at the tablet the desk armed) rather than by the system itself.
 */
export function atSigningSurface(e: { actor: string | null; entity: string }): boolean {
  return e.actor === null && e.entity === 'signing';
}

/** Who acted, as the Chinese documents name them. */
export function zhActorName(e: { actor: string | null; entity: string }): string {
  return e.actor ?? (atSigningSurface(e) ? '签名终端' : '系统');
}
