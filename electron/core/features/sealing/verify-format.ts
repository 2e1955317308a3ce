/**
 * The verification report for people, in Chinese or English: a sentence for each problem
 * code, a label for each check and status, and {@link formatReport}, which is what
 * `attest verify` prints and what the seal panel shows as the full report.
 */
import { LABELS } from '../../platform/bagit/baginfo';
import {
  CHECK_ORDER,
  type CheckId,
  type CheckStatus,
  type ProblemCode,
  type Severity,
  type SignerTrust,
  type VerifyReport,
} from './verify-report';

type Messages = Record<ProblemCode, string>;

const MESSAGES: Record<'zh-CN' | 'en', Messages> = {
  'zh-CN': {
    'bag-not-found': '找不到封存包目录',
    'bagit-missing': '缺少 bagit.txt，不是 BagIt 包',
    'bagit-invalid': 'bagit.txt 内容不符合 BagIt 1.0',
    'manifest-missing': '缺少载荷清单',
    'manifest-syntax': '清单格式错误',
    'file-missing': '清单所列文件缺失',
    'hash-mismatch': '文件内容已被改动（哈希值不符）',
    'manifests-disagree': '两份清单所列文件不一致',
    'unlisted-file': '多出未列入清单的文件',
    'not-regular-file': '包内有非普通文件（如符号链接）',
    'oxum-missing': 'bag-info.txt 缺少 Payload-Oxum',
    'oxum-mismatch': '载荷字节数或文件数与 Payload-Oxum 不符',
    'bag-info-missing': '缺少 bag-info.txt',
    'bag-info-syntax': 'bag-info.txt 格式错误',
    'bag-info-field-missing': 'bag-info.txt 缺少规定的著录项',
    'tag-manifest-missing': '缺少标签清单 tagmanifest-sha512.txt',
    'tag-manifest-incomplete': '标签清单未列全必备文件',
    'tag-file-missing': '标签清单所列文件缺失',
    'tag-hash-mismatch': '标签文件已被改动（哈希值不符）',
    'unlisted-tag-file': '多出未列入标签清单的文件',
    'signature-missing': '缺少封存签名',
    'signature-invalid': '封存签名无效',
    'signer-untrusted': '签名证书不属于受信任的证书',
    'register-mismatch': '机构证书登记册与预期不符',
    'signer-unverified':
      '签名有效，但未核实签名者：未给出信任锚、证书指纹或标签清单哈希（任何人都可自制同名证书）',
    'timestamp-invalid': '时间戳无效',
    'timestamp-absent': '无可信时间戳（未配置时间戳服务）',
    'timestamp-before-recording': '可信时间早于记录的结束时间：本机记录的时间不可信',
    'event-log-missing': '缺少事件日志',
    'event-log-broken': '事件日志哈希链断裂（条目被删除、改动或重排）',
    'event-log-head-mismatch': '事件日志末端与封存时记录不符',
    'media-undecodable': '音视频文件无法解码',
    'media-decode-warnings': '音视频文件解码时有告警',
    'media-timestamps-out-of-order': '音视频文件的解码时间不递增（播放时这些帧会被丢弃）',
    'media-check-skipped': '未检查音视频解码（无 ffprobe）',
    'pdf-signature-invalid': 'PDF 签名无效',
    'pdf-unsigned': 'PDF 未签名',
    'pdf-check-skipped': '未检查 PDF 签名（无 pdfsig）',
    'copy-source-missing': '复制件缺少原封存包的清单或签名',
    'copy-source-mismatch': '复制件所附原封存包的清单与所载哈希不符',
    'copy-source-signature-invalid': '原封存包的签名无效',
    'copy-source-untrusted': '原封存包的签名者不受信任',
    'copy-file-differs': '复制件中的文件与原封存包清单不一致',
  },
  en: {
    'bag-not-found': 'the bag directory does not exist',
    'bagit-missing': 'bagit.txt is missing: not a BagIt bag',
    'bagit-invalid': 'bagit.txt does not declare BagIt 1.0, UTF-8',
    'manifest-missing': 'a payload manifest is missing',
    'manifest-syntax': 'a manifest line is malformed',
    'file-missing': 'a file listed in the manifest is missing',
    'hash-mismatch': 'the file was changed (checksum mismatch)',
    'manifests-disagree': 'the two manifests list different files',
    'unlisted-file': 'an extra file is not listed in any manifest',
    'not-regular-file': 'the bag holds something that is not a plain file (e.g. a symlink)',
    'oxum-missing': 'bag-info.txt has no Payload-Oxum',
    'oxum-mismatch': 'payload size or file count differs from Payload-Oxum',
    'bag-info-missing': 'bag-info.txt is missing',
    'bag-info-syntax': 'bag-info.txt is malformed',
    'bag-info-field-missing': 'bag-info.txt lacks a field the rules require',
    'tag-manifest-missing': 'the tag manifest tagmanifest-sha512.txt is missing',
    'tag-manifest-incomplete': 'the tag manifest does not list a required file',
    'tag-file-missing': 'a file listed in the tag manifest is missing',
    'tag-hash-mismatch': 'a tag file was changed (checksum mismatch)',
    'unlisted-tag-file': 'an extra file is not listed in the tag manifest',
    'signature-missing': 'the seal signature is missing',
    'signature-invalid': 'the seal signature is not valid',
    'signer-untrusted': 'the signing certificate is not trusted',
    'register-mismatch': 'the agency certificate register is not the one expected',
    'signer-unverified':
      'signature valid, signer unverified: no trust anchor, certificate fingerprint or tag manifest hash was given (anyone can make a certificate with any name)',
    'timestamp-invalid': 'the time-stamp is not valid',
    'timestamp-absent': 'no trusted time-stamp (no TSA configured)',
    'timestamp-before-recording':
      'the trusted time is before the recording’s recorded end: the workstation’s times cannot be right',
    'event-log-missing': 'the event log is missing',
    'event-log-broken':
      'the event log hash chain is broken (an entry was removed, changed or reordered)',
    'event-log-head-mismatch': 'the event log does not end where it did when sealed',
    'media-undecodable': 'a media file does not decode',
    'media-decode-warnings': 'a media file decodes with warnings',
    'media-timestamps-out-of-order':
      'a media file has decode times that do not increase (players drop those frames)',
    'media-check-skipped': 'media not checked (no ffprobe)',
    'pdf-signature-invalid': 'a PDF signature is not valid',
    'pdf-unsigned': 'a PDF is not signed',
    'pdf-check-skipped': 'PDF signatures not checked (no pdfsig)',
    'copy-source-missing': "the copy lacks its source bundle's manifests or signature",
    'copy-source-mismatch': 'the source proof in the copy does not match the hashes it names',
    'copy-source-signature-invalid': "the source bundle's signature is invalid",
    'copy-source-untrusted': "the source bundle's signer is not trusted",
    'copy-file-differs': "a file of the copy differs from the source bundle's manifest",
  },
};

const CHECK_LABELS: Record<'zh-CN' | 'en', Record<CheckId, string>> = {
  'zh-CN': {
    bagit: 'BagIt 声明',
    payload: '载荷清单与哈希',
    'payload-oxum': '载荷总量 (Payload-Oxum)',
    'bag-info': '著录信息 (bag-info)',
    'tag-manifest': '标签清单',
    signature: '封存签名',
    timestamp: '可信时间戳',
    'event-log': '事件日志哈希链',
    media: '音视频解码',
    pdf: 'PDF 签名',
  },
  en: {
    bagit: 'BagIt declaration',
    payload: 'payload manifests and checksums',
    'payload-oxum': 'payload size (Payload-Oxum)',
    'bag-info': 'bag-info fields',
    'tag-manifest': 'tag manifest',
    signature: 'seal signature',
    timestamp: 'trusted time-stamp',
    'event-log': 'event log hash chain',
    media: 'media decoding',
    pdf: 'PDF signatures',
  },
};

const TRUST_LABELS: Record<'zh-CN' | 'en', Record<SignerTrust, string>> = {
  'zh-CN': {
    'trust-anchor': '签名者经信任锚核实',
    register: '签名者经机构证书登记册核实',
    fingerprint: '签名者证书指纹与预期一致',
    'tag-manifest': '标签清单哈希与封存时一致',
  },
  en: {
    'trust-anchor': 'signer chains to a trust anchor',
    register: 'signer vouched for by the agency certificate register',
    fingerprint: 'signer certificate has the expected fingerprint',
    'tag-manifest': 'tag manifest hash is the one sealed',
  },
};

const STATUS_LABELS: Record<'zh-CN' | 'en', Record<CheckStatus, string>> = {
  'zh-CN': { pass: '通过', fail: '失败', warn: '告警', skipped: '未查' },
  en: { pass: 'pass', fail: 'FAIL', warn: 'warn', skipped: 'skipped' },
};

/** Renders a report for people. Unknown locales fall back to English; `zh*` gets Chinese. */
export function formatReport(report: VerifyReport, locale = 'zh-CN'): string {
  const L = locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const zh = L === 'zh-CN';
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.filter((p) => p.severity === 'warning').length;
  const lines: string[] = [];
  lines.push(zh ? 'Attest 封存包核验报告' : 'Attest sealed bundle verification');
  lines.push(`${zh ? '路径' : 'Path'}: ${report.path}`);
  const verdict = {
    'zh-CN': { passed: '通过', failed: '未通过', 'signer-unverified': '签名有效，签名者未核实' },
    en: {
      passed: 'PASSED',
      failed: 'FAILED',
      'signer-unverified': 'SIGNATURE VALID, SIGNER UNVERIFIED',
    },
  }[L][report.verdict];
  lines.push(
    zh
      ? `结论: ${verdict}（错误 ${errors}，告警 ${warnings}）`
      : `Result: ${verdict} (${errors} errors, ${warnings} warnings)`,
  );
  const caseNo = report.bagInfo[LABELS.caseNumber]?.[0];
  if (caseNo) lines.push(`${zh ? '案件编号' : 'Case'}: ${caseNo}`);
  const start = report.bagInfo[LABELS.recordingStart]?.[0];
  const end = report.bagInfo[LABELS.recordingEnd]?.[0];
  if (start && end) lines.push(`${zh ? '记录时间' : 'Recorded'}: ${start} – ${end}`);
  lines.push(
    zh
      ? `载荷: ${report.payload.files} 个文件，${report.payload.bytes} 字节`
      : `Payload: ${report.payload.files} files, ${report.payload.bytes} bytes`,
  );
  if (report.signature) {
    const s = report.signature;
    lines.push(
      `${zh ? '签名' : 'Signature'}: ${s.valid ? (zh ? '有效' : 'valid') : zh ? '无效' : 'INVALID'}` +
        (s.signer ? `; ${s.signer.subject}; SHA-256 ${s.signer.fingerprintSha256}` : '') +
        (s.signingTime ? `; ${zh ? '签名时间' : 'signed'} ${s.signingTime}` : '') +
        (s.trustedBy ? `; ${TRUST_LABELS[L][s.trustedBy]}` : ''),
    );
  }
  if (report.register) {
    const r = report.register;
    lines.push(
      zh
        ? `机构证书登记册: ${r.cas} 个 CA，${r.workstations} 个工作站证书` +
            (r.withdrawn ? `，${r.withdrawn} 个已撤下` : '') +
            (r.sha256 ? `; SHA-256 ${r.sha256}` : '')
        : `Agency certificate register: ${r.cas} CA(s), ${r.workstations} workstation certificate(s)` +
            (r.withdrawn ? `, ${r.withdrawn} withdrawn` : '') +
            (r.sha256 ? `; SHA-256 ${r.sha256}` : ''),
    );
  }
  if (report.timestamp) {
    lines.push(
      `${zh ? '时间戳' : 'Time-stamp'}: ${report.timestamp.valid ? (zh ? '有效' : 'valid') : zh ? '无效' : 'INVALID'}` +
        (report.timestamp.genTime ? ` ${report.timestamp.genTime}` : '') +
        (report.timestamp.tsa ? `; ${report.timestamp.tsa.subject}` : ''),
    );
  }
  if (report.eventLog) {
    lines.push(
      zh
        ? `事件日志: ${report.eventLog.file}，${report.eventLog.entries} 条，${report.eventLog.checkpoints} 个检查点`
        : `Event log: ${report.eventLog.file}, ${report.eventLog.entries} entries, ${report.eventLog.checkpoints} checkpoints`,
    );
  }
  if (report.copy) {
    const c = report.copy;
    lines.push(
      zh
        ? `复制件: 原封存包 ${c.sourceBag}（标签清单 SHA-512 ${c.sourceTagManifestSha512}），${c.identical}/${c.files} 个文件与原封存包清单一致` +
            (c.leftOut.length ? `；未复制 ${c.leftOut.length} 个: ${c.leftOut.join('；')}` : '')
        : `Copy of: ${c.sourceBag} (tag manifest SHA-512 ${c.sourceTagManifestSha512}); ${c.identical}/${c.files} files identical to the source manifest` +
            (c.leftOut.length ? `; left out ${c.leftOut.length}: ${c.leftOut.join('; ')}` : ''),
    );
  }
  lines.push('');
  lines.push(zh ? '检查项:' : 'Checks:');
  for (const c of CHECK_ORDER) {
    lines.push(`  [${STATUS_LABELS[L][report.checks[c]]}] ${CHECK_LABELS[L][c]}`);
  }
  if (report.problems.length > 0) {
    lines.push('');
    lines.push(zh ? '问题:' : 'Problems:');
    const mark: Record<Severity, string> = { error: '✗', warning: '!', notice: 'i' };
    for (const p of report.problems) {
      const where = p.file ? `${p.file}: ` : '';
      lines.push(
        `  ${mark[p.severity]} ${where}${MESSAGES[L][p.code]}${p.detail ? ` — ${p.detail}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
