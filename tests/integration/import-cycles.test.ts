/**
 * No two source files import each other at run time, directly or around a loop: a cycle
 * makes module start-up order matter and ties features together that should only meet
 * through an index. Type-only imports are erased by the compiler and do not count.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../helpers/importGraph';
import { ROOT } from '../helpers/webhost';

describe('import cycles', () => {
  it('are found when there is one, and type-only imports do not make one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-cycles-'));
    try {
      mkdirSync(join(dir, 'src', 'b'), { recursive: true });
      writeFileSync(join(dir, 'src', 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      writeFileSync(join(dir, 'src', 'b', 'index.ts'), "export { c as b } from './c';\n");
      writeFileSync(
        join(dir, 'src', 'b', 'c.ts'),
        "import { a } from '../a';\nexport const c = 1;\nexport const d = a;\n",
      );
      writeFileSync(
        join(dir, 'src', 'd.ts'),
        "import type { e } from './e';\nexport const d: typeof e = 1;\n",
      );
      writeFileSync(join(dir, 'src', 'e.ts'), "import { d } from './d';\nexport const e = d;\n");
      expect(importCycles(importGraph(dir, ['src']))).toEqual([
        ['src/a.ts', 'src/b/c.ts', 'src/b/index.ts'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are none in the app: core, shared, host, CLI, shell and renderer', () => {
    expect(importCycles(importGraph(ROOT, ['electron', 'renderer/src']))).toEqual([]);
  });
});
