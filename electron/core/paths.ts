import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The user's data directory, the same place Electron's `app.getPath('userData')` gives for
 * an app named "Attest", so the app, the web host and the CLI share one case store.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.ATTEST_DATA_DIR) return env.ATTEST_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Attest');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Attest');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Attest');
}
