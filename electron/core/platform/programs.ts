/**
 * Helper programs (ffmpeg, ffprobe, xorriso, pdfsig, PowerShell) are run by absolute path,
 * never by a bare name the operating system resolves: a program planted in the working
 * directory or under a relative PATH entry (`.`, an empty entry) is never picked up, and
 * what ran is the path the caller can log.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, win32 } from 'node:path';

/**
 * The absolute path of `program`: itself when it is an absolute path to an executable file;
 * else the first executable file of that name in an absolute PATH entry (with Windows'
 * PATHEXT endings). Null when there is none. A relative path with a directory in it is
 * never resolved.
 */
export function findProgram(
  program: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (isAbsolute(program)) return executable(program, platform) ? program : null;
  if (/[\\/]/.test(program)) return null;
  const dirs = (env.PATH ?? env.Path ?? '')
    .split(platform === 'win32' ? ';' : delimiter)
    .filter((d) => d && isAbsolute(d));
  const endings =
    platform === 'win32'
      ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').map((e) => e.toLowerCase())]
      : [''];
  for (const dir of dirs)
    for (const ending of endings) {
      const candidate = join(dir, program + ending);
      if (executable(candidate, platform)) return candidate;
    }
  return null;
}

function executable(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Windows PowerShell 5.1 where Windows keeps it (never one found on PATH). */
export function windowsPowerShell(env: NodeJS.ProcessEnv = process.env): string {
  return win32.join(
    env.SystemRoot ?? 'C:\\Windows',
    'System32',
    'WindowsPowerShell',
    'v1.0',
    'powershell.exe',
  );
}
