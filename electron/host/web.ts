/**
 * `npm run web -- --port N --data-dir DIR`: starts the core and serves the built renderer
 * at http://127.0.0.1:N/, prints that URL, and stops cleanly on SIGTERM or SIGINT.
 * `--lan-port P [--lan-host ADDR]` also offers the LAN signing tablet (HTTPS on port P of
 * ADDR, default every interface, advertised as this machine's first LAN address).
 * `--lan-live-port P` offers the live room's pages on the LAN too (HTTPS on port P of the same
 * address): observers elsewhere watch, remote participants join.
 * `--segment-seconds N` sets how long each recorded file runs before the next begins
 * (default 15 minutes, or `ATTEST_SEGMENT_SECONDS`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../core';
import { MIN_SEGMENT_SECONDS, parseSegmentSeconds } from '../core/features/recording';
import { defaultDataDir } from '../core/paths';
import { startHost } from './server';
import { relayOrigin } from '../shared/relay';
import { relayFromEnv, sfuFromEnv } from '../core/platform/sfu/sfu';

const usage =
  'usage: attest-web [--port N] [--data-dir DIR] [--lan-port P] [--lan-live-port P] [--lan-host ADDR] [--segment-seconds N]';

async function main() {
  let values: {
    port?: string;
    'data-dir'?: string;
    'lan-port'?: string;
    'lan-host'?: string;
    'lan-live-port'?: string;
    'segment-seconds'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'lan-port': { type: 'string' },
        'lan-host': { type: 'string' },
        'lan-live-port': { type: 'string' },
        'segment-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number (0 for a free one)\n${usage}`);
    process.exit(2);
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  if (!existsSync(`${rendererDir}index.html`)) {
    console.error(`the renderer is not built (${rendererDir}); run npm run build`);
    process.exit(1);
  }
  const lanPort = values['lan-port'] === undefined ? undefined : Number(values['lan-port']);
  if (lanPort !== undefined && (!Number.isInteger(lanPort) || lanPort < 0 || lanPort > 65535)) {
    console.error(`--lan-port must be a port number (0 for a free one)\n${usage}`);
    process.exit(2);
  }
  const lanHost = values['lan-host'];
  const lanLivePort =
    values['lan-live-port'] === undefined ? undefined : Number(values['lan-live-port']);
  if (
    lanLivePort !== undefined &&
    (!Number.isInteger(lanLivePort) || lanLivePort < 0 || lanLivePort > 65535)
  ) {
    console.error(`--lan-live-port must be a port number (0 for a free one)\n${usage}`);
    process.exit(2);
  }
  const segmentSeconds =
    values['segment-seconds'] === undefined
      ? undefined
      : (parseSegmentSeconds(values['segment-seconds']) ?? undefined);
  if (values['segment-seconds'] !== undefined && segmentSeconds === undefined) {
    console.error(
      `--segment-seconds must be a number of seconds, at least ${MIN_SEGMENT_SECONDS}\n${usage}`,
    );
    process.exit(2);
  }
  const core = openCore({
    dataDir,
    ...sfuFromEnv(process.env),
    ...relayFromEnv(process.env),
    ...(segmentSeconds !== undefined ? { media: { segmentSeconds } } : {}),
    ...(lanPort !== undefined
      ? {
          lanTablet: {
            rendererDir,
            port: lanPort,
            ...(lanHost ? { bindHost: lanHost, advertiseHost: lanHost } : {}),
          },
        }
      : {}),
    ...(lanLivePort !== undefined
      ? {
          lanLive: {
            rendererDir,
            port: lanLivePort,
            ...(lanHost ? { bindHost: lanHost, advertiseHost: lanHost } : {}),
          },
        }
      : {}),
  });
  const relay = relayOrigin(process.env.ATTEST_RELAY_URL);
  const host = await startHost({
    core,
    port,
    rendererDir,
    ...(relay ? { connectTo: [relay] } : {}),
  });
  console.log(`Attest web host: data in ${dataDir}`);
  // The last line is the URL, for people and for scripts that wait for it.
  console.log(host.url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`stopping on ${signal}`);
    await host.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
