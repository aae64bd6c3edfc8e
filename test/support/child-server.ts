import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SERVER_ENTRY = path.resolve(__dirname, '../../dist/src/server.js');

export interface ChildServer extends LoggedProcess {
  port: number;
}

export interface LoggedProcess {
  child: ChildProcessWithoutNullStreams;
  /** Parsed JSON log lines written so far. */
  lines: Array<Record<string, unknown>>;
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves once `count` lines with this `msg` have been written, with those lines. */
  waitForLogs(msg: string, count: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Runs a Node script as a real process, collecting its JSON log lines from stdout. */
export function spawnLogged(entry: string, env: Record<string, string>, cwd: string): LoggedProcess {
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', ...env },
  });
  const lines: Array<Record<string, unknown>> = [];
  let errText = '';
  let pending = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errText += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    });
  });

  const waitForLogs = (msg: string, count: number, timeoutMs = 10_000) =>
    new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no ${count} log lines "${msg}"; stderr: ${errText}`)), timeoutMs);
      const check = () => {
        const found = lines.filter((line) => line.msg === msg);
        if (found.length >= count) {
          clearTimeout(deadline);
          resolve(found.slice(0, count));
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(deadline);
          reject(new Error(`process exited with ${child.exitCode ?? child.signalCode} before "${msg}"; stderr: ${errText}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  const waitForLog = (msg: string, timeoutMs = 10_000) =>
    waitForLogs(msg, 1, timeoutMs).then(([line]) => line ?? {});

  return { child, lines, waitForLog, waitForLogs, exited, stderr: () => errText };
}

/** Runs the built server (`npm run build`) as a real process, as a user would. */
export function startChildServer(env: Record<string, string>, cwd: string): Promise<ChildServer> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run npm run build first`);
  const server = spawnLogged(SERVER_ENTRY, env, cwd);
  return server.waitForLog('switchboard listening').then((line) => ({ ...server, port: line.port as number }));
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export function runFailingServer(env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
