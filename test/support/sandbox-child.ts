// `switchboard sandbox` as a child process (npm run build first), its JSON log lines collected.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { CLI_BIN, CLI_ENTRY } from './cli';

export interface SandboxChild {
  child: ChildProcessWithoutNullStreams;
  url: string;
  lines: Array<Record<string, unknown>>;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the sandbox in `cwd` with `args` after `sandbox --port 0 --json`; resolves once it listens. */
export function startSandboxChild(cwd: string, env: Record<string, string>, args: readonly string[] = []): Promise<SandboxChild> {
  if (!fs.existsSync(CLI_ENTRY)) throw new Error(`${CLI_ENTRY} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI_BIN, 'sandbox', '--port', '0', '--json', ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  let out = '';
  let err = '';
  const lines: Array<Record<string, unknown>> = [];
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start; stderr: ${err}`)), 10_000);
    child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}; stderr: ${err}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      lines.splice(0, lines.length, ...out.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>));
      const listening = lines.find((line) => line.event === 'listening');
      if (listening !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: String(listening.url), lines, stdout: () => out, stderr: () => err, stop });
      }
    });
  });
}

/** A port free right now, so PUBLIC_BASE_URL can name the server's port before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
