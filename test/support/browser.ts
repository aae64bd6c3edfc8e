import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_BIN, chromiumPart, describeNeeding } from './system-parts';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. */
export const CHROMIUM = CHROMIUM_BIN;

/** `describe` for suites that drive Chromium: skipped with one line where it is missing (a failure in CI). */
export function describeWithBrowser(): jest.Describe {
  return describeNeeding(chromiumPart());
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
