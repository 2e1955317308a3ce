/**
 * A real S3 with Object Lock on loopback: Debian's Ceph RADOS Gateway over one monitor and
 * one in-memory OSD (memstore), started in about 1.5 s (Debian packages ceph-mon, ceph-osd,
 * radosgw, ceph-common; `scripts/setup.sh` installs them). The steps follow the workplace's
 * measured recipe (shared/servers/ceph-rgw): authentication inside the cluster is off and
 * everything binds to 127.0.0.1, so it is for tests only. The daemons are this process's
 * children, stopped in order (gateway, OSD, monitor) and their folder removed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRgw {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function stopChild(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const kill = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

export async function startRgw(): Promise<TestRgw> {
  const base = mkdtempSync(join(tmpdir(), 'attest-rgw-'));
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  for (const d of ['run', 'log', 'crash', 'data/mon.a', 'data/osd.0', 'data/rgw.a'])
    mkdirSync(join(base, d), { recursive: true });
  const fsid = randomUUID();
  const conf = join(base, 'ceph.conf');
  writeFileSync(
    conf,
    `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
paxos propose interval = 0.05
paxos min wait = 0.01
run dir = ${base}/run
admin socket = ${base}/run/$name.asok
log file = ${base}/log/$name.log
pid file = ${base}/run/$name.pid
mon data = ${base}/data/mon.$id
osd data = ${base}/data/osd.$id
osd objectstore = memstore
memstore device bytes = 536870912
crash dir = ${base}/crash
mon cluster log file = ${base}/log/cluster.log
[client.rgw.a]
ms mon client mode = crc
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw data = ${base}/data/rgw.a
rgw thread pool size = 32
`,
  );
  const children: ChildProcess[] = [];
  const daemon = (cmd: string, args: string[], log: string) => {
    const out = openSync(join(base, 'log', log), 'a');
    const p = spawn(cmd, ['-c', conf, ...args, '-f'], { stdio: ['ignore', out, out] });
    children.push(p);
    return p;
  };
  const stop = async () => {
    // The gateway first, then the OSD, then the monitor: together, shutdown took ~11 s.
    for (const p of [...children].reverse()) await stopChild(p);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    const run = (cmd: string, args: string[]) =>
      execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    run('monmaptool', [
      ...['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`],
      join(base, 'monmap'),
    ]);
    run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(base, 'monmap')]);
    daemon('ceph-mon', ['-i', 'a'], 'mon.stdout');
    run('ceph', ['-c', conf, '--connect-timeout', '30', 'mon', 'stat']);
    const osdUuid = randomUUID();
    const osdId = run('ceph', ['-c', conf, 'osd', 'new', osdUuid]);
    run('ceph-osd', ['-c', conf, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid]);
    daemon('ceph-osd', ['-i', osdId], 'osd.stdout');
    daemon('radosgw', ['-n', 'client.rgw.a'], 'rgw.stdout');
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const up = await fetch(`${endpoint}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('the RADOS Gateway did not come up in 2 min');
      await new Promise((r) => setTimeout(r, 250));
    }
    const accessKeyId = 'ATTESTTESTACCESS';
    const secretAccessKey = 'attest-test-secret-key-0123456789';
    run('radosgw-admin', [
      ...['-c', conf, 'user', 'create', '--uid=attest', '--display-name=attest'],
      `--access-key=${accessKeyId}`,
      `--secret-key=${secretAccessKey}`,
    ]);
    return { endpoint, accessKeyId, secretAccessKey, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
