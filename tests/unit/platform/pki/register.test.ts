import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSelfIssuedCertificate } from '../../../../electron/core/platform/pki/certificate';
import {
  parseRegister,
  RegisterError,
  registerEntry,
  registerSha256,
  registerText,
  registerTrust,
} from '../../../../electron/core/platform/pki/register';

function cert(name: string): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return createSelfIssuedCertificate(privateKey, publicKey, {
    commonName: name,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 86400_000),
  });
}

describe('the register file', () => {
  const a = registerEntry('ca', cert('A'));
  const b = registerEntry('workstation', cert('B'));
  const c = registerEntry('ca', cert('C'), new Date('2026-12-01T00:00:00Z'));

  it('is canonical: the same entries in any order give the same bytes and hash', () => {
    const one = registerText([a, b, c]);
    const two = registerText([c, a, b]);
    expect(one).toBe(two);
    expect(registerSha256(one)).toBe(registerSha256(two));
    expect(parseRegister(one).entries).toEqual(parseRegister(two).entries);
  });

  it('vouches with its live CAs and workstations, not with a withdrawn entry', () => {
    const trust = registerTrust(parseRegister(registerText([a, b, c])));
    expect(trust.anchors).toHaveLength(1);
    expect(trust.fingerprints).toEqual([b.fingerprintSha256]);
  });

  it('is refused whole when an entry does not match its certificate, or is not a register', () => {
    const forged = registerText([{ ...a, fingerprintSha256: b.fingerprintSha256 }]);
    expect(() => parseRegister(forged)).toThrow(RegisterError);
    expect(() => parseRegister(forged)).toThrow(/entry 1: listed as/);
    expect(() => parseRegister('{"format":"other","entries":[]}')).toThrow(/format/);
    expect(() => parseRegister('not json')).toThrow(/not a register file/);
    const twoCerts = registerText([{ ...a, certificatePem: a.certificatePem + b.certificatePem }]);
    expect(() => parseRegister(twoCerts)).toThrow(/one certificate expected/);
  });
});
