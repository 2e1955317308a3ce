/**
 * Conventions a newcomer relies on: no file of the app grows past about 600 lines (string
 * tables are data and may), and comments say why instead of pointing to an issue number,
 * which nobody outside the tracker can look up. Each check is fed a violating text first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/webhost';

const MAX_LINES = 600;
/** String tables: data, not code. */
const DATA_FILE = /(^|\/)strings\.ts$|\/i18n\//;
const ISSUE_REFERENCE = /\bissues? ?#?\d+/i;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|tsx|mjs|js|css|sh)$/.test(name)) out.push(path);
  }
  return out;
}

const FOLDERS = ['electron', 'renderer/src', 'tests', 'scripts', 'native'];
const files = FOLDERS.flatMap((f) => sources(join(ROOT, f))).map((abs) => ({
  rel: relative(ROOT, abs),
  text: readFileSync(abs, 'utf8'),
}));

function tooLong(rel: string, text: string): boolean {
  return !DATA_FILE.test(rel) && text.split('\n').length > MAX_LINES + 1;
}

function issueReferences(text: string): string[] {
  return text.split('\n').filter((line) => ISSUE_REFERENCE.test(line));
}

describe('source conventions', () => {
  it('catch a long file and a comment that cites an issue', () => {
    expect(tooLong('electron/core/x.ts', 'x\n'.repeat(700))).toBe(true);
    expect(tooLong('renderer/src/features/x/strings.ts', 'x\n'.repeat(700))).toBe(false);
    expect(issueReferences('/** Sealing (issue 4; R4.1). */\nconst a = 1;')).toHaveLength(1);
    expect(issueReferences('/** Sealing (R4.1). */')).toEqual([]);
  });

  it('keep every file of the app under about 600 lines, string tables aside', () => {
    const app = files.filter((f) => !f.rel.startsWith('tests/'));
    expect(app.filter((f) => tooLong(f.rel, f.text)).map((f) => f.rel)).toEqual([]);
  });

  it('never point a comment to an issue number', () => {
    const self = 'tests/integration/conventions.test.ts';
    expect(
      files
        .filter((f) => f.rel !== self)
        .flatMap((f) => issueReferences(f.text).map((line) => `${f.rel}: ${line.trim()}`)),
    ).toEqual([]);
  });
});
