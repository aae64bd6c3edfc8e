import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Target {
  child: ChildProcess;
  port: number;
  /** Switchboard's log (its standard output). */
  logFile?: string;
  /** Switchboard's SQLite file. */
  databaseFile?: string;
  stop(): Promise<void>;
}

/** A baseline server (bench/targets/<name>.js, given `args`), reporting its port over IPC. */
export function startBaseline(name: string, args: readonly string[] = []): Promise<Target> {
  const child = fork(path.join(__dirname, 'targets', `${name}.js`), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port?: number }) => {
      const stop = () => new Promise<void>((done) => child.once('exit', () => done()).send('stop'));
      if (message.port) resolve({ child, port: message.port, stop });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** The V8 heap flags of `npm start` (package.json), the Dockerfile and the systemd unit. */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];

/** This build's server. */
export const SERVER_SCRIPT = path.resolve(__dirname, '../src/server.js');

/**
 * The real server, `dist/src/server.js` (or `script`, another build of it), configured and
 * started as in production. Its log goes to a file, as under systemd or docker: draining a pipe
 * here would charge the load generator's CPU for the server's log lines. The port is read from
 * the "listening" line.
 */
export function startSwitchboard(dir: string, env: Record<string, string>, script = SERVER_SCRIPT): Promise<Target> {
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const logFile = path.join(dir, `switchboard-${stamp}.log`);
  const databaseFile = path.join(dir, `bench-${stamp}.db`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script], {
    cwd: dir,
    stdio: ['ignore', log, 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: databaseFile,
      ...env,
    },
  });
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const look = () => {
      const match = /"port":(\d+)/.exec(fs.readFileSync(logFile, 'utf8'));
      if (match) {
        const stop = () => new Promise<void>((done) => child.once('exit', () => done()).kill('SIGTERM'));
        resolve({ child, port: Number(match[1]), logFile, databaseFile, stop });
      } else if (Date.now() > deadline) {
        reject(new Error(`switchboard did not log its port within 30 s (see ${logFile})`));
      } else {
        setTimeout(look, 50);
      }
    };
    look();
    child.once('exit', (code) => reject(new Error(`switchboard exited with ${code}`)));
  });
}

/** Resident memory of a process now (VmRSS), in MB. */
export function rss(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
export function peakRss(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
