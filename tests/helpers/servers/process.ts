/**
 * Plumbing for test servers: free loopback ports, children that announce readiness, and
 * killing a server with everything it forked (sshd serves each connection in a child; a
 * server "killed mid-upload" must lose those too). Only processes these helpers started
 * are ever signalled, by pid.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, LOOPBACK, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (and, if given, sends `banner` first). */
export async function waitForPort(
  port: number,
  timeoutMs = 15_000,
  banner?: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, LOOPBACK);
      sock.setTimeout(1000);
      let data = '';
      sock.on('connect', () => {
        if (!banner) {
          sock.destroy();
          resolve(true);
        }
      });
      sock.on('data', (d: Buffer) => {
        data += d.toString();
        if (banner && data.includes(banner)) {
          sock.destroy();
          resolve(true);
        }
      });
      sock.on('error', () => resolve(false));
      sock.on('timeout', () => {
        sock.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > until)
      throw new Error(`nothing answered on ${LOOPBACK}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pids of every descendant of `pid` (Linux /proc). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** SIGKILLs a child and everything it forked, then waits for the child to exit. */
export async function killTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const all = [...descendants(child.pid), child.pid];
  const exited = new Promise((r) => child.once('exit', r));
  for (const p of all) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exited;
}

/** Spawns a server process and resolves when its stdout or stderr matches `ready`. */
export function spawnReady(
  cmd: string,
  args: string[],
  ready: RegExp,
  opts: SpawnOptions = {},
  timeoutMs = 20_000,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    const timer = setTimeout(() => {
      void killTree(child);
      reject(new Error(`${cmd} did not become ready within ${timeoutMs} ms: ${out.slice(-2000)}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`${cmd} exited (${code ?? signal}) before it was ready: ${out.slice(-2000)}`),
      );
    });
  });
}
