/**
 * `attest relay [--port P] [--host ADDR] [--data-dir DIR] [--upstream URL --upstream-fingerprint FP]`:
 * the live room's router on a
 * server, for a case-handling centre that watches many rooms (electron/shared/relay.ts). It
 * prints its address and its certificate's fingerprint, which each workstation is given
 * (`ATTEST_RELAY_URL`, `ATTEST_RELAY_FINGERPRINT`) with the shared secret
 * (`ATTEST_RELAY_SECRET`, read from the environment, never from the command line), and runs
 * until SIGTERM or SIGINT. Its WebRTC transports listen as the workstation's do
 * (`ATTEST_LIVE_HOST`, `ATTEST_LIVE_ANNOUNCE`, `ATTEST_LIVE_PORTS`). Relays chain: with
 * `--upstream` every room is piped on to that relay (a building's to a centre's) with
 * `ATTEST_RELAY_UPSTREAM_SECRET` (default the same secret), and its observers are sent there.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/paths';
import { RelayServer } from '../core/platform/sfu/relay-server';
import { Sfu, sfuFromEnv } from '../core/platform/sfu/sfu';

export const RELAY_USAGE =
  'attest relay [--port P] [--host ADDR] [--data-dir DIR] [--upstream URL --upstream-fingerprint FP]';
export const RELAY_SUMMARY =
  '运行实时观看中继 run the live room relay that many rooms pipe to (until stopped)';

/** The shortest shared secret the relay accepts. */
const MIN_SECRET = 16;

export async function relayCommand(
  argv: readonly string[],
  io: { out(t: string): void; err(t: string): void },
  stopped: Promise<string> = new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  }),
): Promise<number> {
  let values: {
    port?: string;
    host?: string;
    'data-dir'?: string;
    upstream?: string;
    'upstream-fingerprint'?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        upstream: { type: 'string' },
        'upstream-fingerprint': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.err(`attest relay: ${(e as Error).message}\nusage: ${RELAY_USAGE}\n`);
    return 2;
  }
  const port = values.port === undefined ? 8445 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`attest relay: --port must be a port number (0 for a free one)\n`);
    return 2;
  }
  const secret = process.env.ATTEST_RELAY_SECRET ?? '';
  if (secret.length < MIN_SECRET) {
    io.err(
      `attest relay: set ATTEST_RELAY_SECRET (at least ${MIN_SECRET} characters) to the secret the workstations are given\n`,
    );
    return 2;
  }
  if ((values.upstream === undefined) !== (values['upstream-fingerprint'] === undefined)) {
    io.err(`attest relay: --upstream and --upstream-fingerprint go together\n`);
    return 2;
  }
  const upstream = values.upstream
    ? {
        url: values.upstream,
        fingerprint: values['upstream-fingerprint']!,
        secret: process.env.ATTEST_RELAY_UPSTREAM_SECRET || secret,
      }
    : undefined;
  const log = (line: string) => io.err(`${line}\n`);
  const sfu = new Sfu({ ...sfuFromEnv(process.env).sfu, log });
  const relay = new RelayServer({
    sfu,
    secret,
    tlsDir: join(values['data-dir'] ?? defaultDataDir(), 'identity'),
    port,
    ...(values.host ? { bindHost: values.host, advertiseHost: values.host } : {}),
    ...(upstream ? { upstream } : {}),
    log,
  });
  try {
    const { url, fingerprint } = await relay.start();
    io.out(`relay: ${url}\nfingerprint: ${fingerprint}\n`);
  } catch (e) {
    io.err(`attest relay: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    sfu.close();
    return 1;
  }
  const signal = await stopped;
  io.err(`stopping on ${signal}\n`);
  await relay.close();
  sfu.close();
  return 0;
}
