/**
 * `attest verify PATH`: the command-line face of {@link verifyBag}, to be plugged into the
 * CLI's command table (electron/cli) as
 * `verify: { usage: VERIFY_USAGE, summary: VERIFY_SUMMARY, run: (args, { io }) => verifyCommand(args, io) }`.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseRegister, registerSha256, type AgencyRegister } from '../core/platform/pki/register';
import { normaliseHex, verifyBag } from '../core/features/sealing/bundle-verify';
import { formatReport } from '../core/features/sealing/verify-format';
import { reportLanguage, type ReportLanguage } from './lang';

export const VERIFY_USAGE =
  'attest verify PATH [--json] [--lang zh-CN|en] [--register agency-register.json [--expect-register SHA256]] [--trust-anchor CERT]... [--expect-fingerprint SHA256]... [--expect-tagmanifest SHA512]... [--tsa-trust-anchor CERT]... [--deep] [--no-media] [--no-pdf]';

/** Exit codes: a verdict each, and bad arguments. */
export const VERIFY_EXIT = { passed: 0, failed: 1, usage: 2, 'signer-unverified': 3 } as const;
export const VERIFY_SUMMARY =
  '核验封存包 verify a sealed bundle (manifests, signature, log chain, media, PDF)';

export interface VerifyIo {
  out(text: string): void;
  err(text: string): void;
}

const defaultIo: VerifyIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** Reads a PEM or DER certificate file as DER. */
function loadCertificate(file: string): Buffer {
  return Buffer.from(new X509Certificate(readFileSync(file)).raw);
}

/**
 * Runs the verify command on `argv` (the arguments after `verify`). Returns 0 when every
 * check holds and the signer is trusted (a trust anchor it chains to, the agency register
 * given with `--register`, its expected fingerprint, or the tag manifest's expected hash), 1 when the bag fails verification, 2
 * for bad arguments, and 3 when everything holds but nothing given vouches for the signer.
 */
export async function verifyCommand(
  argv: readonly string[],
  io: VerifyIo = defaultIo,
): Promise<number> {
  let values: {
    json?: boolean;
    lang?: string;
    'trust-anchor'?: string[];
    'tsa-trust-anchor'?: string[];
    'expect-fingerprint'?: string[];
    'expect-tagmanifest'?: string[];
    register?: string;
    'expect-register'?: string;
    deep?: boolean;
    'no-media'?: boolean;
    'no-pdf'?: boolean;
  };
  let positionals: string[];
  let lang: ReportLanguage;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean' },
        lang: { type: 'string' },
        'trust-anchor': { type: 'string', multiple: true },
        'tsa-trust-anchor': { type: 'string', multiple: true },
        'expect-fingerprint': { type: 'string', multiple: true },
        'expect-tagmanifest': { type: 'string', multiple: true },
        register: { type: 'string' },
        'expect-register': { type: 'string' },
        deep: { type: 'boolean' },
        'no-media': { type: 'boolean' },
        'no-pdf': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    }));
    lang = reportLanguage(values.lang);
  } catch (e) {
    io.err(`attest verify: ${(e as Error).message}\nusage: ${VERIFY_USAGE}\n`);
    return VERIFY_EXIT.usage;
  }
  if (positionals.length !== 1) {
    io.err(`usage: ${VERIFY_USAGE}\n`);
    return VERIFY_EXIT.usage;
  }
  const fingerprints = values['expect-fingerprint'] ?? [];
  const tagManifests = values['expect-tagmanifest'] ?? [];
  const expectRegister = values['expect-register'];
  if (expectRegister !== undefined && !values.register) {
    io.err('attest verify: --expect-register needs --register FILE\n');
    return VERIFY_EXIT.usage;
  }
  const bad = [
    ...fingerprints.filter((f) => normaliseHex(f).length !== 64),
    ...(expectRegister !== undefined && normaliseHex(expectRegister).length !== 64
      ? [expectRegister]
      : []),
    ...tagManifests.filter((f) => normaliseHex(f).length !== 128),
  ];
  if (bad.length) {
    io.err(
      `attest verify: not a SHA-256 fingerprint (64 hex digits) or SHA-512 tag manifest hash (128): ${bad.join(', ')}\n`,
    );
    return VERIFY_EXIT.usage;
  }
  let anchors: Buffer[];
  let tsaAnchors: Buffer[];
  try {
    anchors = (values['trust-anchor'] ?? []).map(loadCertificate);
    tsaAnchors = (values['tsa-trust-anchor'] ?? []).map(loadCertificate);
  } catch (e) {
    io.err(`attest verify: cannot read a certificate: ${(e as Error).message}\n`);
    return VERIFY_EXIT.usage;
  }
  let register: (AgencyRegister & { sha256: string }) | undefined;
  if (values.register) {
    try {
      const bytes = readFileSync(values.register);
      register = { ...parseRegister(bytes.toString('utf8')), sha256: registerSha256(bytes) };
    } catch (e) {
      io.err(
        `attest verify: cannot read the register ${values.register}: ${(e as Error).message}\n`,
      );
      return VERIFY_EXIT.usage;
    }
  }
  const report = await verifyBag(positionals[0]!, {
    trustAnchors: anchors,
    expectFingerprints: fingerprints,
    expectTagManifests: tagManifests,
    tsaTrustAnchors: tsaAnchors,
    ...(register ? { register } : {}),
    ...(expectRegister ? { expectRegisterSha256: expectRegister } : {}),
    ...(values['no-media'] ? { ffprobe: null } : {}),
    ...(values['no-pdf'] ? { pdfsig: null } : {}),
    ...(values.deep ? { deepMediaCheck: {} } : {}),
  });
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, lang));
  return VERIFY_EXIT[report.verdict];
}
