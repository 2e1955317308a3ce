/**
 * The pure parts of sealing: case numbers become safe folder names; the demo's handwriting
 * is valid wire format and deterministic; the contract carries the sealing methods with the
 * right roles.
 */
import { describe, expect, it } from 'vitest';
import { syntheticHandwriting } from '../../../electron/core/demo/handwriting';
import { demoTranscript } from '../../../electron/core/demo/script';
import { safeDirName } from '../../../electron/core/features/sealing/rules';
import { configSchemas, secretSchemas } from '../../../electron/core/features/storage';
import { CASE_WRITERS, EVENT_NAMES, methods } from '../../../electron/shared/api/index';
import { sealingMethods } from '../../../electron/shared/api/sealing';
import { targetCreateSchema } from '../../../electron/shared/api/storage';
import { handwritingInputSchema } from '../../../electron/shared/api/signing';
import { storageConfigSchemas, storageSecretSchemas } from '../../../electron/shared/api/storage';
import { transcriptActionSchema } from '../../../electron/shared/rules/transcript';

describe('safeDirName', () => {
  it('keeps a Chinese case number readable and makes anything else safe', () => {
    expect(safeDirName('石人防罚〔2026〕12号')).toBe('石人防罚〔2026〕12号');
    expect(safeDirName('A/B\\C:D*E?"F<G>H|')).toBe('A_B_C_D_E__F_G_H_');
    expect(safeDirName('..hidden. ')).toBe('hidden');
    expect(safeDirName('CON')).toBe('_CON');
    expect(safeDirName('\u0000\u001f')).toBe('__');
    expect(safeDirName('...')).toBe('case');
    expect([...safeDirName('案'.repeat(200))]).toHaveLength(80);
  });
});

describe('the demo’s synthetic handwriting and script', () => {
  it('is valid wire format, plausible and the same for the same seed', () => {
    const a = syntheticHandwriting({ characters: 3, seed: 42, t0: 1_700_000_000_000 });
    const b = syntheticHandwriting({ characters: 3, seed: 42, t0: 1_700_000_000_000 });
    const c = syntheticHandwriting({ characters: 3, seed: 43, t0: 1_700_000_000_000 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(handwritingInputSchema.safeParse(a).success).toBe(true);
    expect(a.strokes.length).toBeGreaterThanOrEqual(6);
    for (const s of a.strokes) {
      const times = s.points.map((p) => p[2]);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      for (const [x, y, , p] of s.points) {
        expect(x).toBeGreaterThan(0);
        expect(x).toBeLessThan(600);
        expect(y).toBeGreaterThan(0);
        expect(y).toBeLessThan(200);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    expect(a.clientNow).toBeGreaterThan(a.t0 + a.strokes.at(-1)!.points.at(-1)![2]);
    const long = syntheticHandwriting({
      characters: 13,
      seed: 1,
      t0: 0,
      canvas: { width: 1200, height: 200 },
    });
    expect(handwritingInputSchema.safeParse(long).success).toBe(true);
  });

  it('scripts a valid transcript inside the recording, with the interview’s procedure steps', () => {
    const actions = demoTranscript(30_000);
    for (const a of actions) expect(transcriptActionSchema.safeParse(a).success).toBe(true);
    const ats = actions.map((a) => ('at' in a ? (a.at ?? 0) : 0));
    expect(Math.max(...ats)).toBeLessThan(30_000);
    expect(
      actions.filter((a) => a.type === 'marker.add').map((a) => 'kind' in a && a.kind),
    ).toEqual(['identity_shown', 'recording_announced', 'rights_explained', 'identity_checked']);
  });
});

describe('the contract’s sealing part', () => {
  it('carries every sealing method with its roles, and the events', () => {
    for (const name of Object.keys(sealingMethods)) expect(name in methods).toBe(true);
    expect(methods['sessions.seal'].auth).toEqual(CASE_WRITERS);
    expect(methods['replication.retryNow'].auth).toEqual(CASE_WRITERS);
    for (const m of [
      'storage.targets.list',
      'storage.targets.create',
      'storage.targets.update',
      'storage.targets.setEnabled',
      'storage.test',
    ] as const)
      expect(methods[m].auth).toEqual(['admin']);
    for (const m of ['bundles.list', 'bundles.verify', 'replication.status'] as const)
      expect(methods[m].auth).toBe('user');
    expect(EVENT_NAMES).toEqual(
      expect.arrayContaining(['bundle.changed', 'replication.changed', 'storage.targets.changed']),
    );
  });

  it('validates targets with the same schemas as the core, secrets apart from config', () => {
    expect(configSchemas).toBe(storageConfigSchemas);
    expect(secretSchemas).toBe(storageSecretSchemas);
    expect(
      targetCreateSchema.safeParse({ kind: 'folder', name: 'nas', config: { path: '/mnt/nas' } })
        .success,
    ).toBe(true);
    // A secret smuggled into the config is refused; SFTP needs a key or a password.
    expect(
      targetCreateSchema.safeParse({
        kind: 'webdav',
        name: 'dav',
        config: { url: 'https://dav.example/', password: 'x' },
      }).success,
    ).toBe(false);
    expect(
      targetCreateSchema.safeParse({
        kind: 'sftp',
        name: 's',
        config: {
          host: 'h',
          username: 'u',
          path: '/p',
          hostKeySha256: `SHA256:${'A'.repeat(43)}`,
        },
        secret: {},
      }).success,
    ).toBe(false);
    expect(
      targetCreateSchema.safeParse({
        kind: 's3',
        name: 's3',
        config: { region: 'r', bucket: 'bucket' },
        secret: { accessKeyId: 'a', secretAccessKey: 'b' },
      }).success,
    ).toBe(true);
  });
});
