/**
 * Certificates and trust (R4.3): who vouches for this workstation's seals.
 */
import { defineStrings, type Translation } from '../../i18n/define';

const zhCN = {
  trust: {
    nav: '证书与信任',
    title: '证书与信任',
    intro:
      '封存包由本工作站的证书签名。只有当签名证书由本机构证书登记册中的 CA 签发（或登记在册）时，别处的核验才能确认封存包出自本机构；登记册随每张光盘复制。',
    workstation: {
      title: '本工作站证书',
      none: '尚未生成：第一次封存或生成签名笔录时自动生成自签证书。',
      subject: '主体',
      issuer: '签发者',
      fingerprint: 'SHA-256 指纹',
      notAfter: '有效期至',
      source: '来源',
      sources: {
        'self-issued': '本机自签',
        pkcs12: '导入的机构证书（PKCS#12）',
        'agency-issued': '机构 CA 签发（本机证书申请）',
      },
      vouched: '机构证书登记册认可此证书。',
      notVouched:
        '机构证书登记册不认可此证书：别处核验时签名者只能凭指纹或标签清单哈希核实。请登记本机构 CA，再申请并安装机构签发的证书。',
    },
    request: {
      title: '申请机构证书',
      intro:
        '本机生成新的密钥和证书申请（PKCS#10），私钥不离开本机。把申请交给本机构 CA 签发，再把签发的证书粘贴到下方安装。安装前原证书继续使用。',
      commonName: '工作站名称（CN）',
      organization: '机构名称（O）',
      make: '生成证书申请',
      made: '已生成证书申请，请交本机构 CA 签发。',
      pending: '待签发的证书申请（{{subject}}，{{at}}）',
      download: '下载证书申请',
      certificate: '签发的证书（PEM，可含上级 CA 证书）',
      install: '安装证书',
      installed: '已安装机构签发的证书：{{subject}}。',
      pkcs12: '或导入 PKCS#12 文件（含私钥）',
      pkcs12File: 'PKCS#12 文件（.p12 / .pfx）',
      pkcs12Password: '文件密码',
      import: '导入',
      imported: '已导入证书：{{subject}}。',
    },
    register: {
      title: '机构证书登记册',
      intro:
        '登记本机构的 CA（它签发的工作站证书都被认可），或单独认可的工作站证书。登记项只能撤下，不能删除；撤下后不再认可任何此后的签名。',
      sha256: '登记册 SHA-256：{{sha}}（刻在每张光盘标签上，核验时与本机构公布的值比对）',
      export: '导出登记册',
      empty: '登记册为空。',
      kind: '类型',
      kinds: { ca: '机构 CA', workstation: '工作站证书' },
      subject: '主体',
      fingerprint: '指纹',
      validUntil: '有效期至',
      added: '登记',
      addedValue: '{{by}}，{{at}}',
      status: '状态',
      active: '有效',
      withdrawnValue: '已撤下（{{by}}，{{at}}）：{{reason}}',
      certificate: '证书（PEM）',
      add: '登记证书',
      addedNotice: '已登记：{{subject}}。',
      withdraw: '撤下',
      withdrawTitle: '撤下“{{subject}}”',
      reason: '撤下原因',
      withdrawConfirm: '撤下',
      withdrawnNotice: '已撤下：{{subject}}。',
    },
    tsa: {
      title: '时间戳服务（TSA）',
      intro:
        '设置后，每个封存包都带有可信时间戳（RFC 3161），核验时以它检查封存时间不早于录制结束。未设置时封存时会提示。',
      url: '时间戳服务地址',
      none: '未设置时间戳服务。',
      current: '当前：{{url}}',
      fromEnvironment: '（来自环境变量 ATTEST_TSA_URL）',
      save: '保存',
      clear: '清除',
      saved: '已保存时间戳服务设置。',
    },
    keystore: {
      title: '密码与私钥的保护',
      protected: '存储目标的密码、密钥和本工作站的私钥由系统密钥库（{{backend}}）加密保存。',
      none: '本机没有可用的系统密钥库：存储目标的密码和密钥只能以明文存放在案件库中（仅本机当前系统账户可读）。',
      accepted: '{{by}} 已于 {{at}} 接受明文存放：{{reason}}',
      reason: '接受明文存放的理由',
      accept: '接受明文存放',
      acceptedNotice: '已记录：接受明文存放。',
    },
    readOnly: '只有系统管理员可以修改这些设置。',
  },
};

const en: Translation<typeof zhCN> = {
  trust: {
    nav: 'Certificates',
    title: 'Certificates and trust',
    intro:
      'Sealed bundles are signed with this workstation’s certificate. Verification elsewhere can tell a bundle is the agency’s only when that certificate was issued by a CA in the agency certificate register (or is listed in it); the register travels on every disc.',
    workstation: {
      title: 'This workstation’s certificate',
      none: 'None yet: a self-issued certificate is made at the first seal or signed record.',
      subject: 'Subject',
      issuer: 'Issuer',
      fingerprint: 'SHA-256 fingerprint',
      notAfter: 'Valid until',
      source: 'Source',
      sources: {
        'self-issued': 'Self-issued on this workstation',
        pkcs12: 'Agency certificate imported (PKCS#12)',
        'agency-issued': 'Issued by the agency CA (request made here)',
      },
      vouched: 'The agency certificate register vouches for this certificate.',
      notVouched:
        'The agency certificate register does not vouch for this certificate: elsewhere the signer can only be checked by fingerprint or tag manifest hash. Register the agency’s CA, then request and install a certificate it issues.',
    },
    request: {
      title: 'Request an agency certificate',
      intro:
        'This workstation makes a new key and a certificate request (PKCS#10); the private key never leaves it. Give the request to the agency’s CA and paste the certificate it issues below. The current certificate stays in use until then.',
      commonName: 'Workstation name (CN)',
      organization: 'Agency name (O)',
      make: 'Make certificate request',
      made: 'Certificate request made: give it to the agency’s CA.',
      pending: 'Request waiting for the CA ({{subject}}, {{at}})',
      download: 'Download the request',
      certificate: 'Issued certificate (PEM, may include the CAs above it)',
      install: 'Install certificate',
      installed: 'Agency-issued certificate installed: {{subject}}.',
      pkcs12: 'Or import a PKCS#12 file (with its private key)',
      pkcs12File: 'PKCS#12 file (.p12 / .pfx)',
      pkcs12Password: 'File password',
      import: 'Import',
      imported: 'Certificate imported: {{subject}}.',
    },
    register: {
      title: 'Agency certificate register',
      intro:
        'Register the agency’s CAs (every workstation certificate they issue is vouched for) or single workstation certificates. Entries are withdrawn, never deleted; a withdrawn entry vouches for nothing signed after.',
      sha256:
        'Register SHA-256: {{sha}} (printed on every disc label; compare it with the agency’s published value)',
      export: 'Export register',
      empty: 'The register is empty.',
      kind: 'Kind',
      kinds: { ca: 'Agency CA', workstation: 'Workstation certificate' },
      subject: 'Subject',
      fingerprint: 'Fingerprint',
      validUntil: 'Valid until',
      added: 'Registered',
      addedValue: '{{by}}, {{at}}',
      status: 'Status',
      active: 'In force',
      withdrawnValue: 'Withdrawn ({{by}}, {{at}}): {{reason}}',
      certificate: 'Certificate (PEM)',
      add: 'Register certificate',
      addedNotice: 'Registered: {{subject}}.',
      withdraw: 'Withdraw',
      withdrawTitle: 'Withdraw “{{subject}}”',
      reason: 'Reason for withdrawal',
      withdrawConfirm: 'Withdraw',
      withdrawnNotice: 'Withdrawn: {{subject}}.',
    },
    tsa: {
      title: 'Time-stamping authority (TSA)',
      intro:
        'Once set, every sealed bundle carries a trusted time-stamp (RFC 3161), which verification checks against the end of the recording. Without one, sealing warns.',
      url: 'Time-stamping authority URL',
      none: 'No time-stamping authority is set.',
      current: 'Now: {{url}}',
      fromEnvironment: '(from the environment variable ATTEST_TSA_URL)',
      save: 'Save',
      clear: 'Clear',
      saved: 'Time-stamping authority saved.',
    },
    keystore: {
      title: 'Protection of passwords and keys',
      protected:
        'Storage passwords and keys and this workstation’s private key are encrypted by the OS keystore ({{backend}}).',
      none: 'No OS keystore is available here: storage passwords and keys can only be kept unencrypted in the case store (readable by this OS account alone).',
      accepted: '{{by}} accepted plain storage on {{at}}: {{reason}}',
      reason: 'Why plain storage is accepted',
      accept: 'Accept plain storage',
      acceptedNotice: 'Recorded: plain storage accepted.',
    },
    readOnly: 'Only an administrator can change these settings.',
  },
};

export default defineStrings(zhCN, en);
