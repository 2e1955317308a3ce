/**
 * The burner port (ARCHITECTURE §1.4): what the disc workflow needs from an optical drive,
 * with one adapter per platform, each a thin layer over a command-line program:
 * - Linux: xorriso (`-devices`, `-toc -list_profiles`, `-as cdrecord`, `-eject`);
 * - Windows: IMAPI2 through native/windows/burn.ps1 (PowerShell), JSON lines on stdout.
 * Tests drive both adapters at that boundary with stand-in programs (a fake `xorriso` and
 * a fake `powershell` that record their arguments and answer as the real ones do), and the
 * real xorriso writing to an image file (`stdio:`) as the "drive". No real drive was ever
 * used in testing (none exists on the build machines).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriveDto, MediaInfoDto } from '../../../shared/api/discs';
import type { MediumId } from '../../../shared/rules/disc-plan';
import { MEDIA } from '../../../shared/rules/disc-plan';
import { windowsPowerShell } from '../programs';
import { parseProgress, runXorriso, XorrisoError, type DiscSource } from './xorriso';

export interface BurnProgress {
  /** 0..1, or null when the drive reports none (yet). */
  fraction: number | null;
  message: string | null;
}

export interface Burner {
  readonly kind: 'xorriso' | 'imapi2';
  /** Optical drives on this machine (an empty list when there are none). */
  listDrives(): Promise<DriveDto[]>;
  /** What is in the drive: kind of medium, blank or not, free blocks. */
  mediaInfo(drive: string): Promise<MediaInfoDto>;
  /** Writes `image` to the blank medium in `drive` and closes the disc (no further sessions). */
  burn(
    drive: string,
    image: string,
    opts?: { onProgress?: (p: BurnProgress) => void; signal?: AbortSignal },
  ): Promise<void>;
  eject(drive: string): Promise<void>;
  /** How to read the burned disc back for verification. */
  readSource(drive: DriveDto): DiscSource;
}

export class BurnerError extends Error {}

/** Maps a drive's profile name to the medium kind it is (DL and BD DL by name or size). */
export function mediumOfProfile(
  profile: string | null,
  overallSectors: number | null,
): MediumId | null {
  if (!profile) return null;
  const p = profile.toUpperCase();
  if (p.includes('BD'))
    return overallSectors !== null && overallSectors > MEDIA.bd.sectors * 1.2 ? 'bd-dl' : 'bd';
  if (p.includes('DVD'))
    return /DL|DUAL|DOUBLE/.test(p) || (overallSectors ?? 0) > MEDIA.dvd.sectors * 1.2
      ? 'dvd-dl'
      : 'dvd';
  if (p.includes('CD')) return 'cd';
  return null;
}

// ---------------------------------------------------------------------------------------
// Linux: xorriso.

/** Parses `xorriso -devices`: `0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'`. */
export function parseDevices(text: string): DriveDto[] {
  const out: DriveDto[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+\s+-dev\s+'([^']+)'\s+(\S+)\s*:\s*'([^']*)'\s+'([^']*)'/.exec(line);
    if (!m) continue;
    out.push({
      id: m[1]!,
      path: m[1]!,
      vendor: m[3]!.trim(),
      product: m[4]!.trim(),
      writer: m[2]!.includes('w'),
    });
  }
  return out;
}

/** Parses `xorriso -outdev DEV -toc -list_profiles out`. */
export function parseToc(drive: string, text: string): MediaInfoDto {
  const current = /^Media current:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? null;
  const status = /^Media status\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? '';
  const blocks =
    /^Media blocks\s*:\s*(\d+)\s+readable\s*,\s*(\d+)\s+writable\s*,\s*(\d+)\s+overall/m.exec(text);
  const present =
    current !== null &&
    !/not present|^none|is not recognizable/i.test(current) &&
    !/not present/i.test(status);
  const overall = blocks ? Number(blocks[3]) : null;
  return {
    drive,
    profile: present ? current : null,
    medium: present ? mediumOfProfile(current, overall) : null,
    blank: /is blank/.test(status),
    appendable: /is appendable/.test(status),
    freeSectors: blocks && present ? Number(blocks[2]) : null,
  };
}

export class XorrisoBurner implements Burner {
  readonly kind = 'xorriso' as const;
  constructor(private readonly bin?: string) {}

  private run(args: string[], onLine?: (l: string) => void, signal?: AbortSignal) {
    return runXorriso(args, {
      ...(this.bin ? { bin: this.bin } : {}),
      ...(onLine ? { onLine } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  async listDrives(): Promise<DriveDto[]> {
    const r = await this.run(['-devices']);
    const text = r.stdout + r.stderr;
    // "No drives found" is SORRY, exit 32: not an error for us.
    if (r.code !== 0 && !/No drives found/i.test(text)) {
      throw new BurnerError(`xorriso -devices failed: ${text.trim().split('\n').at(-1) ?? ''}`);
    }
    return parseDevices(text);
  }

  async mediaInfo(drive: string): Promise<MediaInfoDto> {
    const r = await this.run(['-outdev', drive, '-toc', '-list_profiles', 'out']);
    const text = r.stdout + r.stderr;
    if (r.code !== 0 && !/Media current/.test(text))
      throw new BurnerError(
        `xorriso cannot open ${drive}: ${text.trim().split('\n').at(-1) ?? ''}`,
      );
    return parseToc(drive, text);
  }

  async burn(
    drive: string,
    image: string,
    opts: { onProgress?: (p: BurnProgress) => void; signal?: AbortSignal } = {},
  ): Promise<void> {
    // cdrecord emulation writes a prepared image as one closed session (no -multi), after
    // blanking a rewritable disc if needed; progress comes as "N of M MB written".
    const r = await this.run(
      [
        '-report_about',
        'UPDATE',
        '-as',
        'cdrecord',
        '-v',
        `dev=${drive}`,
        'blank=as_needed',
        image,
      ],
      (l) => {
        const f = parseProgress(l);
        if (f !== null) opts.onProgress?.({ fraction: f, message: null });
        else if (/Beginning to write|Fixating|Closing/i.test(l))
          opts.onProgress?.({ fraction: null, message: l.replace(/^xorriso : \w+ : /, '') });
      },
      opts.signal,
    );
    const text = r.stdout + r.stderr;
    if (r.code !== 0 || !/completed successfully/i.test(text)) {
      const why =
        text
          .split('\n')
          .filter((l) => /FAILURE|SORRY|FATAL/.test(l))
          .at(-1) ??
        text.trim().split('\n').at(-1) ??
        '';
      throw new XorrisoError(
        `burning to ${drive} failed: ${why.replace(/^xorriso : /, '')}`,
        r.code,
        r.stderr,
      );
    }
    opts.onProgress?.({ fraction: 1, message: null });
  }

  async eject(drive: string): Promise<void> {
    const r = await this.run(['-outdev', drive, '-eject', 'all']);
    if (r.code !== 0)
      throw new BurnerError(
        `xorriso could not eject ${drive}: ${(r.stderr.trim().split('\n').at(-1) ?? '').trim()}`,
      );
  }

  readSource(drive: DriveDto): DiscSource {
    return { kind: 'iso', path: drive.id };
  }
}

// ---------------------------------------------------------------------------------------
// Windows: IMAPI2 through PowerShell.

/**
 * native/: `ATTEST_NATIVE_DIR`, the packaged app's resources (electron-builder copies
 * native/ to resources/native), or the nearest native/ above this module (the repository).
 */
export function defaultNativeDir(): string {
  if (process.env.ATTEST_NATIVE_DIR) return process.env.ATTEST_NATIVE_DIR;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'native'))) return join(packaged, 'native');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'native', 'windows', 'burn.ps1'))) return join(dir, 'native');
    dir = resolve(dir, '..');
  }
  return join(process.cwd(), 'native');
}

type PsLine =
  | { type: 'drive'; id: string; path: string; vendor: string; product: string; writer: boolean }
  | {
      type: 'media';
      profile: string | null;
      blank: boolean;
      appendable: boolean;
      freeSectors: number | null;
      overallSectors?: number | null;
    }
  | { type: 'progress'; fraction: number | null; action?: string }
  | { type: 'done' }
  | { type: 'error'; message: string };

export class Imapi2Burner implements Burner {
  readonly kind = 'imapi2' as const;
  constructor(private readonly opts: { powershell?: string; script?: string } = {}) {}

  private script(): string {
    return this.opts.script ?? join(defaultNativeDir(), 'windows', 'burn.ps1');
  }

  /** Runs the script; every stdout line is one JSON object. */
  private run(
    args: string[],
    onLine?: (l: PsLine) => void,
    signal?: AbortSignal,
  ): Promise<PsLine[]> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(
        this.opts.powershell ?? windowsPowerShell(),
        [
          '-NoLogo',
          '-NoProfile',
          '-NonInteractive',
          '-ExecutionPolicy',
          'Bypass',
          '-File',
          this.script(),
          ...args,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, ...(signal ? { signal } : {}) },
      );
      const lines: PsLine[] = [];
      let rest = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        const text = rest + c.toString('utf8');
        const parts = text.split(/\r?\n/);
        rest = parts.pop() ?? '';
        for (const p of parts) {
          const t = p.trim().replace(/^\uFEFF/, '');
          if (!t.startsWith('{')) continue;
          try {
            const l = JSON.parse(t) as PsLine;
            lines.push(l);
            onLine?.(l);
          } catch {
            // a line that is not ours (PowerShell noise) is ignored
          }
        }
      });
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', (e) =>
        reject(
          (e as NodeJS.ErrnoException).code === 'ENOENT'
            ? new BurnerError('PowerShell is not available: the IMAPI2 burner needs Windows')
            : e,
        ),
      );
      child.on('close', (code) => {
        const err = lines.find((l): l is Extract<PsLine, { type: 'error' }> => l.type === 'error');
        if (err) reject(new BurnerError(err.message));
        else if (code !== 0)
          reject(
            new BurnerError(
              `burn.ps1 exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`,
            ),
          );
        else resolvePromise(lines);
      });
    });
  }

  async listDrives(): Promise<DriveDto[]> {
    const lines = await this.run(['-Action', 'list']);
    return lines
      .filter((l): l is Extract<PsLine, { type: 'drive' }> => l.type === 'drive')
      .map((l) => ({
        id: l.id,
        path: l.path,
        vendor: l.vendor,
        product: l.product,
        writer: l.writer,
      }));
  }

  async mediaInfo(drive: string): Promise<MediaInfoDto> {
    const lines = await this.run(['-Action', 'info', '-Drive', drive]);
    const m = lines.find((l): l is Extract<PsLine, { type: 'media' }> => l.type === 'media');
    if (!m) throw new BurnerError('burn.ps1 reported no medium information');
    return {
      drive,
      profile: m.profile,
      medium: mediumOfProfile(m.profile, m.overallSectors ?? null),
      blank: m.blank,
      appendable: m.appendable,
      freeSectors: m.freeSectors,
    };
  }

  async burn(
    drive: string,
    image: string,
    opts: { onProgress?: (p: BurnProgress) => void; signal?: AbortSignal } = {},
  ): Promise<void> {
    const lines = await this.run(
      ['-Action', 'burn', '-Drive', drive, '-Image', image],
      (l) => {
        if (l.type === 'progress')
          opts.onProgress?.({ fraction: l.fraction, message: l.action ?? null });
      },
      opts.signal,
    );
    if (!lines.some((l) => l.type === 'done'))
      throw new BurnerError('burn.ps1 ended without reporting success');
  }

  async eject(drive: string): Promise<void> {
    await this.run(['-Action', 'eject', '-Drive', drive]);
  }

  /** Windows reads the disc through its drive letter (the Joliet tree, as any reader there). */
  readSource(drive: DriveDto): DiscSource {
    return {
      kind: 'directory',
      path: /^[A-Za-z]:$/.test(drive.path) ? `${drive.path}\\` : drive.path,
    };
  }
}

/** The burner for this platform. */
export function platformBurner(platform: NodeJS.Platform = process.platform): Burner {
  return platform === 'win32' ? new Imapi2Burner() : new XorrisoBurner();
}
