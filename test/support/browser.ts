import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether browser tests can run. Without Chromium they fail in CI (CI=true), where it must be
 * installed, and are skipped loudly elsewhere, so that a newcomer's `npm test` still passes.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing in CI: .ci/run must install it (apt-get install chromium)`);
  console.warn(
    `\n*** SKIPPING BROWSER TESTS: ${CHROMIUM} is not installed. Install it with: apt-get install -y chromium ***\n`,
  );
  return false;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile that can reach only this machine: every host name but
 * 127.0.0.1 and localhost fails to resolve, so nothing a page does leaves the loopback interface.
 */
export async function launchBrowser(options: { mapHosts?: string[] } = {}): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // `mapHosts` rules (e.g. "MAP *.example.com 127.0.0.1:4000") come first and may send names to loopback.
      `--host-resolver-rules=${[...(options.mapHosts ?? []), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost'].join(', ')}`,
      // A fake microphone, so a page that asks for one gets it without a prompt.
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
