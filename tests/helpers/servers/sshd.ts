/**
 * A real OpenSSH server on 127.0.0.1 for SFTP tests: `/usr/sbin/sshd -D` with a config,
 * host key, client key and authorized_keys all in a temporary directory. It accepts only
 * the generated key, for the user running the tests, and serves SFTP with internal-sftp.
 * sshd needs root for privilege separation; CI runs as root.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, promises as fsp, mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOOPBACK, freePort, killTree, waitForPort } from './process';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

/** Why sshd cannot run here, or null when it can. */
export function sshdUnavailable(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0)
    return 'sshd needs root for privilege separation, and the tests are not running as root';
  return null;
}

export interface TestSshd {
  host: string;
  port: number;
  username: string;
  /** `SHA256:…` of the host key, for pinning. */
  hostKeySha256: string;
  privateKey: string;
  /** A directory the SFTP user can write to (the bags' root). */
  root: string;
  /** SIGKILLs sshd and every session it forked (a server dying mid-upload). */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same keys. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-sshd-'));
  const f = (n: string) => join(dir, n);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f('host_key')]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f('client_key')]);
  await fsp.copyFile(f('client_key.pub'), f('authorized_keys'));
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', f('host_key.pub')]);
  const hostKeySha256 = stdout.split(' ')[1]!;
  const root = f('bags');
  mkdirSync(root);
  const port = await freePort();
  const username = userInfo().username;
  await fsp.writeFile(
    f('sshd_config'),
    [
      `Port ${port}`,
      `ListenAddress ${LOOPBACK}`,
      `HostKey ${f('host_key')}`,
      'PidFile none',
      `AuthorizedKeysFile ${f('authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${username}`,
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // Privilege separation needs its empty directory (created by the service unit normally).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let child: ChildProcess | null = null;
  // Readiness is the SSH banner on the port (sshd logs nothing at LogLevel ERROR).
  const startProcess = async () => {
    const c = spawn(SSHD, ['-D', '-e', '-f', f('sshd_config')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitForPort(port, 15_000, 'SSH-2.0');
    } catch (e) {
      await killTree(c);
      throw new Error(`sshd did not start: ${err || (e as Error).message}`, { cause: e });
    }
    child = c;
  };
  await startProcess();
  return {
    host: LOOPBACK,
    port,
    username,
    hostKeySha256,
    privateKey: await fsp.readFile(f('client_key'), 'utf8'),
    root,
    async kill() {
      if (child) await killTree(child);
      child = null;
    },
    async restart() {
      if (child) await killTree(child);
      await startProcess();
    },
    async stop() {
      if (child) await killTree(child);
      child = null;
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
