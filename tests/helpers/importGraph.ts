/**
 * The runtime import graph of TypeScript sources, read as text: every relative `import` and
 * `export … from` that survives compilation (`import type` and `export type` do not, so
 * they are left out), resolved to files. Used to prove the tree has no import cycles.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const STATEMENT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveSpecifier(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  if (existsSync(base) && statSync(base).isFile()) return base;
  for (const ext of EXTENSIONS) if (existsSync(base + ext)) return base + ext;
  return null;
}

/** file → the files it imports at run time, for every source under the given folders. */
export function importGraph(root: string, folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of sources(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      const targets = new Set<string>();
      for (const m of text.matchAll(STATEMENT)) {
        if (m[2]) continue; // `import type` / `export type`: erased
        const target = resolveSpecifier(file, m[3]!);
        if (target) targets.add(target);
      }
      for (const m of text.matchAll(DYNAMIC)) {
        const target = resolveSpecifier(file, m[1]!);
        if (target) targets.add(target);
      }
      graph.set(
        relative(root, file),
        [...targets].map((t) => relative(root, t)),
      );
    }
  }
  return graph;
}

/** The strongly connected components of more than one file, or of a file importing itself. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, order.get(w)!));
      }
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return cycles;
}
