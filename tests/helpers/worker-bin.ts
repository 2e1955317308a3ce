/**
 * Where the tests find mediasoup's worker: MEDIASOUP_WORKER_BIN as `scripts/setup.sh` exports
 * it, else the copy setup builds into .tools/ (a test run started without sourcing setup).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function mediasoupWorkerEnv(): Record<string, string> {
  if (process.env.MEDIASOUP_WORKER_BIN)
    return { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN };
  if (process.platform !== 'linux') return {};
  const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const version = pkg.dependencies.mediasoup!.replace(/^\D*/, '');
  return { MEDIASOUP_WORKER_BIN: resolve(`.tools/mediasoup-worker-${version}`) };
}
