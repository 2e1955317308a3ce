import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProgram, windowsPowerShell } from '../../../electron/core/platform/programs';

const root = mkdtempSync(join(tmpdir(), 'attest-programs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function program(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, mode);
  return path;
}

describe('helper programs by absolute path', () => {
  it('finds a program in an absolute PATH entry, first entry first', () => {
    const a = program(join(root, 'a'), 'ffprobe');
    program(join(root, 'b'), 'ffprobe');
    expect(findProgram('ffprobe', { PATH: `${join(root, 'a')}:${join(root, 'b')}` }, 'linux')).toBe(
      a,
    );
  });

  it('never takes one from a relative PATH entry or an empty one (the working directory)', () => {
    const here = join(root, 'cwd');
    program(here, 'xorriso');
    const cwd = process.cwd();
    process.chdir(here);
    try {
      expect(findProgram('xorriso', { PATH: `.::${join(root, 'none')}` }, 'linux')).toBeNull();
      expect(findProgram('./xorriso', { PATH: '' }, 'linux')).toBeNull();
    } finally {
      process.chdir(cwd);
    }
  });

  it('skips a file that is not executable, and a directory', () => {
    program(join(root, 'c'), 'pdfsig', 0o644);
    mkdirSync(join(root, 'd', 'pdfsig'), { recursive: true });
    expect(
      findProgram('pdfsig', { PATH: `${join(root, 'c')}:${join(root, 'd')}` }, 'linux'),
    ).toBeNull();
  });

  it('takes an absolute path as it is, when it is a program', () => {
    const p = program(join(root, 'e'), 'ffmpeg');
    expect(findProgram(p, {}, 'linux')).toBe(p);
    expect(findProgram(join(root, 'e', 'missing'), {}, 'linux')).toBeNull();
  });

  it('finds the real tools of this machine', () => {
    for (const tool of ['ffprobe', 'ffmpeg', 'xorriso', 'pdfsig', 'openssl'])
      expect(findProgram(tool), tool).toMatch(/^\/.*\/[a-z]+$/);
  });

  it('runs Windows PowerShell from where Windows keeps it', () => {
    expect(windowsPowerShell({ SystemRoot: 'D:\\Windows' })).toBe(
      'D:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    );
  });
});
