/**
 * `attest doctor` with the real probes on this machine (Debian with ffmpeg, xorriso,
 * poppler-utils and qpdf installed). The data directory is a fresh temporary one.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realProbes, runDoctor } from '../../electron/cli/doctor';
import type { Check } from '../../electron/cli/doctor';
import { main } from '../../electron/cli/index';

let dataDir: string;
let checks: Check[];

function check(name: string): Check {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return found;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'attest-doctor-'));
  checks = await runDoctor({ dataDir });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('attest doctor on this machine', () => {
  it('finds ffprobe and ffmpeg with their versions', () => {
    expect(check('ffprobe')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^\d+\.\d+/),
    });
    expect(check('ffmpeg')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^\d+\.\d+/),
    });
  });

  it('finds xorriso with its version', () => {
    expect(check('xorriso')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('finds the poppler tools and qpdf', () => {
    for (const name of ['pdftoppm', 'pdfsig', 'qpdf']) {
      expect(check(name), name).toMatchObject({
        status: 'ok',
        detail: expect.stringMatching(/^\d+\.\d+/),
      });
    }
  });

  it('accepts the temporary data directory and leaves nothing in it', () => {
    expect(check('data-dir')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(dataDir),
    });
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(existsSync(join(dataDir, `.attest-doctor-${process.pid}`))).toBe(false);
  });

  it('reads the free space of the data directory', () => {
    expect(check('disk').detail).toMatch(/^\d+\.\d GiB/);
  });

  it('reports the running Node (>= 24)', () => {
    expect(check('node')).toMatchObject({ status: 'ok', detail: `v${process.versions.node}` });
  });

  it('says a program that does not exist is not found, and does not use a shell', async () => {
    const missing = await realProbes.run('attest-no-such-tool-xyz', ['--version']);
    expect(missing).toEqual({ found: false, error: 'not found' });
    // With a shell, "$(...)" would run; as an argument it is printed verbatim.
    const echoed = await realProbes.run(process.execPath, [
      '-e',
      'console.log(process.argv[1])',
      '$(echo hacked)',
    ]);
    expect(echoed).toMatchObject({ found: true, exitCode: 0, stdout: '$(echo hacked)\n' });
    const failing = await realProbes.run(process.execPath, ['-e', 'process.exit(3)']);
    expect(failing).toMatchObject({ found: true, exitCode: 3 });
  });

  it('prints the table and JSON through the command line', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => undefined };
    const code = await main(['doctor', '--json', '--data-dir', dataDir], { io });
    const parsed = JSON.parse(out.join('')) as Check[];
    expect(parsed.find((c) => c.name === 'ffprobe')?.status).toBe('ok');
    expect(code).toBe(parsed.some((c) => c.status === 'fail') ? 1 : 0);
  });
});

describe('bin/attest.js', () => {
  const bin = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

  function run(
    args: string[],
    script = bin,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [script, ...args],
        { timeout: 20_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it('starts with a node shebang', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('runs the built CLI', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^attest \d+\.\d+\.\d+/),
    });
    expect((await run(['no-such-command'])).code).toBe(2);
  });

  it('asks for npm run build when the CLI is not built', async () => {
    // A copy of the shim in a folder without out/main/cli.js beside it.
    const dir = mkdtempSync(join(tmpdir(), 'attest-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(bin, join(dir, 'bin', 'attest.js'));
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const result = await run(['--version'], join(dir, 'bin', 'attest.js'));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('npm run build');
      expect(result.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
