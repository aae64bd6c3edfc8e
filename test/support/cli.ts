import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';

export const CLI_BIN = path.resolve(__dirname, '../../bin/switchboard');
export const CLI_ENTRY = path.resolve(__dirname, '../../dist/src/cli/main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bin/switchboard` as a child process, as a user would, with only the given environment
 * (plus PATH) and in a fresh folder, so no stray .env is read. Needs `npm run build`.
 */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliRun> {
  if (!fs.existsSync(CLI_ENTRY)) throw new Error(`${CLI_ENTRY} is missing: run npm run build first`);
  const dir = cwd ?? fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-'));
  const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      if (cwd === undefined) fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    }),
  );
}

export interface Listening {
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Serves an Express app on 127.0.0.1 and an ephemeral port, for a child-process CLI to reach. */
export function listen(app: Express): Promise<Listening> {
  return new Promise((resolve) => {
    const server: Server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
