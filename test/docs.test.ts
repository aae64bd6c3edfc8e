// Keeps the README a front door and the docs/ pages honest: the README stays short and keeps its
// two commands, every relative link (and #anchor) resolves, curl examples never send a raw `+`
// in a form body, the walk without a phone sets CONFIG_PATH and a fixed time, and the documented
// history `limit` is the one the API enforces.
import fs from 'node:fs';
import path from 'node:path';
import { HISTORY_FIELDS } from '../src/api/validate-history';

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');

const docPages = fs
  .readdirSync(DOCS)
  .filter((name) => name.endsWith('.md'))
  .map((name) => path.join(DOCS, name));
const pages = [README, ...docPages];
const rel = (file: string) => path.relative(ROOT, file);
const read = (file: string) => fs.readFileSync(file, 'utf8');

/** The fenced code blocks of a Markdown text, and the text with them blanked out. */
function splitFences(text: string): { code: string[]; prose: string } {
  const code: string[] = [];
  const prose: string[] = [];
  let block: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      if (block === undefined) block = [];
      else {
        code.push(block.join('\n'));
        block = undefined;
      }
      prose.push('');
    } else if (block !== undefined) {
      block.push(line);
      prose.push('');
    } else prose.push(line);
  }
  return { code, prose: prose.join('\n') };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of splitFences(read(file)).prose.split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) out.add(m[1]!);
  }
  return out;
}

/** Relative link targets outside code: `[text](target)` and `![alt](target)`. */
function relativeLinks(file: string): string[] {
  const prose = splitFences(read(file)).prose.replace(/`[^`\n]*`/g, '');
  const targets = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('//'));
}

/** Shell commands in code blocks, with `\` continuations joined. */
function commands(file: string): string[] {
  return splitFences(read(file)).code.flatMap((block) => block.replace(/\\\n/g, ' ').split('\n'));
}

describe('README.md', () => {
  const text = read(README);

  it('is a front door: at most 300 lines', () => {
    expect(text.split('\n').length).toBeLessThanOrEqual(300);
  });

  it('keeps the two commands a newcomer needs', () => {
    expect(text).toContain('npm ci && npm start');
    expect(text).toContain('npm ci && npm test');
  });

  it('sets CONFIG_PATH before the CLI reads the config, and walks the example at a fixed time', () => {
    const lines = commands(README);
    const firstConfigUse = lines.findIndex((l) => /switchboard (twiml|check-config)\b/.test(l));
    const exportLine = lines.findIndex((l) => /^\s*export\b.*\bCONFIG_PATH=\S+/.test(l));
    expect(firstConfigUse).toBeGreaterThan(-1);
    expect(exportLine).toBeGreaterThan(-1);
    expect(exportLine).toBeLessThan(firstConfigUse);
    const walks = lines.filter((l) => /^\s*npx switchboard simulate /.test(l));
    expect(walks.length).toBeGreaterThan(0);
    for (const walk of walks) expect(walk).toMatch(/--at 2026-01-07T15:00:00Z/);
  });
});

describe.each(pages.map((file) => [rel(file), file]))('%s', (_name, file) => {
  it('links only to files that exist, and to headings that exist', () => {
    const broken: string[] = [];
    for (const target of relativeLinks(file)) {
      const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
      const dest = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
      if (!fs.existsSync(dest)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      const page = fs.statSync(dest).isDirectory() ? path.join(dest, 'README.md') : dest;
      if (!page.endsWith('.md')) continue;
      if (!anchors(page).has(decodeURIComponent(anchor).toLowerCase())) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it('never sends a phone number with a raw + in a curl form body', () => {
    // In application/x-www-form-urlencoded a raw `+` is a space: `-d to=+1555…` arrives as ` 1555…`.
    const rawPlus = /(?:^|\s)(?:-d|--data|--data-raw|--data-ascii|--data-binary)(?:\s+|=)['"]?(?:to|from)=\+/i;
    const bad = commands(file)
      .filter((line) => /\bcurl\b/.test(line))
      .map((line) => line.replace(/\$\([^()]*\)/g, '$(…)'))
      .filter((line) => rawPlus.test(line));
    expect(bad).toEqual([]);
  });

  it('documents the history limit the API enforces', () => {
    const max = HISTORY_FIELDS.limit.max;
    const stated = [...read(file).matchAll(/`limit`[^\n]*?(?:\b1\s*[–-]\s*|at most )(\d+)/g)].map((m) => Number(m[1]));
    for (const n of stated) expect(n).toBe(max);
  });
});

it('docs/README.md lists every page in docs/', () => {
  const index = read(path.join(DOCS, 'README.md'));
  const missing = docPages.map((f) => path.basename(f)).filter((n) => n !== 'README.md' && !index.includes(`](${n})`));
  expect(missing).toEqual([]);
});
