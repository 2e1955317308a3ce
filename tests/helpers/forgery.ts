/**
 * What a reviewer does to test a verifier: copies a sealed bag, replaces one camera file
 * with another valid clip, makes both payload manifests, Payload-Oxum and the tag manifest
 * match again, and re-signs the tag manifest with a freshly made key under the honest
 * signer's own subject name (openssl, as anyone could): self-signed, or issued by a CA the
 * forger runs.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AgencyCa } from './agencyCa';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const digest = (algo: string, file: string) =>
  createHash(algo).update(readFileSync(file)).digest('hex');

/** Rewrites the lines of a manifest (`HASH  PATH`) from the files as they are now. */
function rewriteManifest(bag: string, name: string, algo: string): void {
  const path = join(bag, name);
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => {
      const m = /^([0-9a-f]+) {1,2}(.+)$/.exec(l);
      return m ? `${digest(algo, join(bag, m[2]!))}  ${m[2]}` : l;
    });
  writeFileSync(path, lines.join('\n'));
}

export async function forgeBag(
  honest: string,
  to: string,
  /** A CA that issues the forger's certificate (with the honest subject) instead of a self-signed one. */
  issuer?: AgencyCa,
): Promise<{ path: string; subject: string; fingerprint: string }> {
  cpSync(honest, to, { recursive: true });
  const media = join(to, 'data', 'media');
  const clips = readdirSync(media)
    .filter((f) => f.endsWith('.mp4'))
    .sort();
  const camera = clips.find((f) => f.startsWith('cam'))!;
  const other = clips.find((f) => f !== camera)!;
  cpSync(join(media, other), join(media, camera));
  for (const algo of ['sha256', 'sha512']) rewriteManifest(to, `manifest-${algo}.txt`, algo);
  const payload = files(join(to, 'data'));
  const bytes = payload.reduce((n, f) => n + statSync(f).size, 0);
  const info = join(to, 'bag-info.txt');
  writeFileSync(
    info,
    readFileSync(info, 'utf8').replace(
      /^Payload-Oxum: .*$/m,
      `Payload-Oxum: ${bytes}.${payload.length}`,
    ),
  );
  rewriteManifest(to, 'tagmanifest-sha512.txt', 'sha512');

  const p7s = join(to, 'seal', 'tagmanifest-sha512.txt.p7s');
  const pem = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7s, '-print_certs'], {
    encoding: 'utf8',
  });
  const subject = new X509Certificate(pem).subject;
  const subj = '/' + subject.split('\n').join('/');
  const key = join(to, '..', 'forger.key');
  const cert = join(to, '..', 'forger.pem');
  if (issuer) {
    const request = execFileSync(
      'openssl',
      [
        ...['req', '-new', '-utf8', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
        ...['-nodes', '-keyout', key, '-subj', subj],
      ],
      { encoding: 'utf8' },
    );
    writeFileSync(cert, issuer.issue(request));
  } else {
    execFileSync('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', key, '-out', cert, '-days', '30', '-subj', subj],
    ]);
  }
  execFileSync('openssl', [
    ...['cms', '-sign', '-binary', '-outform', 'DER', '-nosmimecap', '-md', 'sha256'],
    ...['-signer', cert, '-inkey', key, '-in', join(to, 'tagmanifest-sha512.txt'), '-out', p7s],
    ...(issuer ? ['-certfile', issuer.certFile] : []),
  ]);
  const forger = new X509Certificate(readFileSync(cert));
  if (relative(honest, to) === '') throw new Error('the forgery must be a copy');
  return {
    path: to,
    subject: subject.split('\n').join(', '),
    fingerprint: forger.fingerprint256,
  };
}
