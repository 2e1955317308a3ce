/**
 * The layering of ARCHITECTURE §1 is enforced by lint, not by memory: each rule is fed a
 * violating file at the path where it would live, and must report it.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/webhost';

const eslint = new ESLint({ cwd: ROOT });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('layering lint', () => {
  it('keeps electron out of the core, the host, the CLI and shared', async () => {
    for (const file of [
      'electron/core/x.ts',
      'electron/host/x.ts',
      'electron/cli/x.ts',
      'electron/shared/x.ts',
    ]) {
      expect(
        await problems(file, "import { app } from 'electron';\nexport const a = app;\n"),
        file,
      ).toEqual(
        expect.arrayContaining([
          expect.stringContaining('Only electron/main and electron/preload'),
        ]),
      );
    }
    expect(
      await problems(
        'electron/main/x.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
      ),
    ).toEqual([]);
  });

  it('keeps Node built-ins out of the renderer and shared', async () => {
    for (const file of ['renderer/src/x.ts', 'electron/shared/x.ts']) {
      expect(
        await problems(
          file,
          "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        ),
        file,
      ).not.toEqual([]);
      expect(
        await problems(file, "import { join } from 'path';\nexport const j = join;\n"),
        file,
      ).not.toEqual([]);
    }
  });

  it('keeps the renderer away from the core, host, main and preload', async () => {
    for (const target of ['core/core', 'host/server', 'main/security', 'preload/index']) {
      expect(
        await problems(
          'renderer/src/x.ts',
          `import * as m from '../../electron/${target}';\nexport const x = m;\n`,
        ),
        target,
      ).not.toEqual([]);
    }
    // Deeper in the tree, by climbing as far as it takes, the core stays out of reach.
    expect(
      await problems(
        'renderer/src/features/cases/x.ts',
        "import * as m from '../../../../electron/core/core';\nexport const x = m;\n",
      ),
    ).not.toEqual([]);
  });

  it('lets the renderer reach shared only through its alias', async () => {
    for (const file of ['renderer/src/x.ts', 'renderer/src/features/cases/x.ts']) {
      expect(
        await problems(
          file,
          "import * as c from '@shared/api';\nimport type { Phase } from '@shared/domain';\nexport const x: [unknown, Phase?] = [c];\n",
        ),
        file,
      ).toEqual([]);
    }
    expect(
      await problems(
        'renderer/src/x.ts',
        "import * as c from '../../electron/shared/api/index';\nexport const x = c;\n",
      ),
    ).toEqual([expect.stringContaining('@shared/')]);
  });

  it('lets shared depend on nothing but zod and itself', async () => {
    expect(
      await problems(
        'electron/shared/x.ts',
        "import * as c from '../core/core';\nexport const x = c;\n",
      ),
    ).not.toEqual([]);
    expect(
      await problems(
        'electron/shared/x.ts',
        "import { z } from 'zod';\nimport * as d from './domain';\nexport const x = [z, d];\n",
      ),
    ).toEqual([]);
    // One folder down (a feature's API file) it may reach the rest of shared, never beyond.
    expect(
      await problems(
        'electron/shared/api/x.ts',
        "import * as d from '../domain';\nimport * as m from './define';\nexport const x = [d, m];\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'electron/shared/api/x.ts',
        "import * as c from '../../core/core';\nexport const x = c;\n",
      ),
    ).not.toEqual([]);
  });

  it("lets a feature use another only through that feature's index", async () => {
    const refused = 'A feature uses another only through its index.ts';
    for (const [file, spec] of [
      ['electron/core/features/discs/x.ts', '../sealing/store'],
      ['electron/core/features/discs/sub/x.ts', '../../sessions/lifecycle'],
      ['electron/core/features/recording/media/deep/x.ts', '../../../sessions/service'],
    ] as const) {
      expect(
        await problems(file, `import * as m from '${spec}';\nexport const x = m;\n`),
        `${file} → ${spec}`,
      ).toEqual([expect.stringContaining(refused)]);
    }
    for (const [file, spec] of [
      ['electron/core/features/discs/x.ts', '../sealing'],
      ['electron/core/features/discs/x.ts', './store'],
      ['electron/core/features/discs/x.ts', '../context'],
      ['electron/core/features/discs/x.ts', '../../platform/fs'],
      ['electron/core/features/discs/sub/x.ts', '../store'],
      ['electron/core/features/discs/sub/x.ts', '../../sessions'],
      ['electron/core/features/services.ts', './discs/service'],
    ] as const) {
      expect(
        await problems(file, `import * as m from '${spec}';\nexport const x = m;\n`),
        `${file} → ${spec}`,
      ).toEqual([]);
    }
  });

  it('keeps the platform from importing features', async () => {
    expect(
      await problems(
        'electron/core/platform/pdf/x.ts',
        "import * as m from '../../features/signing';\nexport const x = m;\n",
      ),
    ).toEqual([expect.stringContaining('The platform serves the features')]);
    expect(
      await problems(
        'electron/core/platform/pdf/x.ts',
        "import * as m from '../fs';\nexport const x = m;\n",
      ),
    ).toEqual([]);
  });

  it('allows raw ipcMain only in the one IPC entry', async () => {
    const code = "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n";
    expect(await problems('electron/main/index.ts', code)).toEqual([
      expect.stringContaining('ipc.ts'),
    ]);
    expect(await problems('electron/main/ipc.ts', code)).toEqual([]);
  });
});
