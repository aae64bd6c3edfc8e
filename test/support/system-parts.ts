// Some suites need a program from the system: Chromium, PostgreSQL's server, nginx. On a user's
// machine without one, its suites are skipped with one line naming what is missing and how to
// install it (the summary reporter prints that line once). In CI (CI=true) a missing part is a
// failure: .ci/run installs every one, and a suite that silently skipped would hide a regression.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { postgresBinDir } from './postgres-cluster';

export interface SystemPart {
  /** What the suites need, e.g. "Chromium". */
  name: string;
  /** Where it was looked for, or undefined when it is absent. */
  found: string | undefined;
  /** The command that installs it on Debian. */
  install: string;
}

/** Marks a skipped suite's title; test/support/summary-reporter.js collects these. */
export const SKIP_MARK = '[skipped, missing system part]';

/**
 * `describe` when the part is present; otherwise a skipped suite whose title says what is missing,
 * or, with CI=true, an error that fails the suite.
 */
export function describeNeeding(part: SystemPart): jest.Describe {
  if (part.found !== undefined) return describe;
  const reason = `${part.name} is not installed; install it with: ${part.install}`;
  if (process.env.CI) throw new Error(`${reason} (CI=true: .ci/run must install it)`);
  // Skipped, visibly: the title carries the reason, and the summary reporter prints it once.
  const skip: jest.Describe = describe.skip;
  return ((title: string, fn: () => void) => skip(`${title} ${SKIP_MARK} ${reason}`, fn)) as unknown as jest.Describe;
}

/** The first of `candidates` that exists as a file, else the first found on PATH. */
export function findProgram(candidates: readonly string[], onPath?: string): string | undefined {
  for (const file of candidates) if (fs.existsSync(file)) return file;
  if (onPath === undefined) return undefined;
  try {
    return execFileSync('sh', ['-c', `command -v ${onPath}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const CHROMIUM_BIN = '/usr/bin/chromium';

export function chromiumPart(): SystemPart {
  return { name: 'Chromium', found: findProgram([CHROMIUM_BIN]), install: 'apt-get install -y chromium' };
}

export function postgresPart(): SystemPart {
  return { name: 'PostgreSQL (initdb, pg_ctl)', found: postgresBinDir(), install: 'apt-get install -y postgresql' };
}

export const NGINX_BIN = '/usr/sbin/nginx';

export function nginxPart(): SystemPart {
  return { name: 'nginx', found: findProgram([NGINX_BIN], 'nginx'), install: 'apt-get install -y nginx' };
}
