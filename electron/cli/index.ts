/**
 * The `attest` command line (built to out/main/cli.js; bin/attest.js calls {@link main}).
 * Plain Node, no Electron. Each command is one row of {@link COMMANDS}.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/paths';
import { exitCodeFor, formatReport, runDoctor } from './doctor';
import type { DoctorOptions } from './doctor';
import { VERIFY_SUMMARY, VERIFY_USAGE, verifyCommand } from './verify';
import { DEMO_SUMMARY, DEMO_USAGE, demoCommand } from '../core/demo';
import { DISC_SUMMARY, DISC_USAGE, discCommand } from './disc';
import { AUDIT_SUMMARY, AUDIT_USAGE, auditCommand } from './audit';
import { RELAY_SUMMARY, RELAY_USAGE, relayCommand } from './relay';

/** Where a command writes; tests capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What a command may be handed besides its arguments (tests inject probes here). */
export interface CliContext {
  io: CliIo;
  doctor?: Partial<Omit<DoctorOptions, 'dataDir'>>;
}

interface Command {
  usage: string;
  summary: string;
  /** Returns the exit code. Throw {@link UsageError} for bad arguments (exit 2). */
  run(args: string[], context: CliContext): Promise<number>;
}

/** Bad arguments: usage goes to stderr and the exit code is 2. */
export class UsageError extends Error {}

/** Runs an argument parser, turning its complaints into a {@link UsageError}. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The commands. To add one (verify, demo, disc), add a row: usage, a one-line summary, and
 * a `run` that returns the exit code.
 */
export const COMMANDS: Readonly<Record<string, Command>> = {
  doctor: {
    usage: 'attest doctor [--data-dir DIR] [--json]',
    summary: '检查运行环境 check that this machine can run Attest',
    async run(args, { io, doctor }) {
      const { values } = parsed(() =>
        parseArgs({
          args,
          options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
          strict: true,
          allowPositionals: false,
        }),
      );
      const dataDir = values['data-dir'] ?? defaultDataDir();
      const checks = await runDoctor({ ...doctor, dataDir });
      io.out(values.json ? `${JSON.stringify(checks, null, 2)}\n` : formatReport(checks));
      return exitCodeFor(checks);
    },
  },
  verify: {
    usage: VERIFY_USAGE,
    summary: VERIFY_SUMMARY,
    run: (args, { io }) => verifyCommand(args, io),
  },
  demo: {
    usage: DEMO_USAGE,
    summary: DEMO_SUMMARY,
    run: (args, { io }) => demoCommand(args, io),
  },
  disc: {
    usage: DISC_USAGE,
    summary: DISC_SUMMARY,
    run: (args, { io }) => discCommand(args, io),
  },
  audit: {
    usage: AUDIT_USAGE,
    summary: AUDIT_SUMMARY,
    run: (args, { io }) => auditCommand(args, io),
  },
  relay: {
    usage: RELAY_USAGE,
    summary: RELAY_SUMMARY,
    run: (args, { io }) => relayCommand(args, io),
  },
};

/** The version in package.json (read at run time: the same relative path from src and out/). */
export function version(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The help text. */
export function usage(): string {
  const rows: Array<[string, string]> = [
    ['attest --help | -h', '显示帮助 show this help'],
    ['attest --version | -v', '显示版本 show the version'],
    ...Object.values(COMMANDS).map((c): [string, string] => [c.usage, c.summary]),
  ];
  // Usage lines can be long (verify has many options): each command, then its summary.
  return [
    'Attest 执法记录工作站 — command line',
    '',
    '用法 usage:',
    ...rows.map(([u, summary]) => `  ${u}\n      ${summary}`),
    '',
  ].join('\n');
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Runs the command line and returns the exit code: 0 success, 1 a command failed (e.g. a
 * doctor check failed), 2 usage error (unknown command or option).
 */
export async function main(
  argv: readonly string[],
  context?: Partial<CliContext>,
): Promise<number> {
  const ctx: CliContext = { ...context, io: context?.io ?? defaultIo };
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    // No arguments at all is a usage error, though the help is the same.
    (first === undefined ? ctx.io.err : ctx.io.out)(usage());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    ctx.io.out(`attest ${version()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    ctx.io.err(`attest: 未知命令 unknown command '${first}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.io.out(`${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.io.err(`attest ${first}: ${error.message}\n用法 usage: ${command.usage}\n`);
      return 2;
    }
    ctx.io.err(`attest ${first}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
