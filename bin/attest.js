#!/usr/bin/env node
// The `attest` command: a shim over the built CLI (out/main/cli.js, from electron/cli/index.ts).
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'attest: 尚未构建 the command line is not built yet (out/main/cli.js is missing).\n' +
      '        请先运行 run first:  npm run build\n',
  );
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
