// A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temp folder, a server on a
// free loopback port, one database per test or suite. Started once per test file (about a second),
// stopped and deleted afterwards. When run as root the server runs as the `postgres` user, since
// PostgreSQL refuses to run as root. No Jest here: `npm run bench:stores` starts one too.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A password-protected role, for tests of what a wrong password does (the superuser needs none). */
export const APP_USER = 'switchboard';
export const APP_PASSWORD = 's3cret-Pa55word';

export interface PostgresCluster {
  host: string;
  port: number;
  /** A URL of a new, empty database owned by the password-protected role. */
  createDatabase(): Promise<string>;
  /** The superuser's URL of a database (no password: trusted on loopback). */
  adminUrl(database?: string): string;
  /** pg_ctl stop / start, for tests of an unreachable server. */
  stopServer(): void;
  startServer(): void;
  stop(): Promise<void>;
}

const DEBIAN_POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** Where initdb and pg_ctl are: `pg_config --bindir`, else Debian's path, else PATH. */
export function postgresBinDir(): string | undefined {
  const has = (dir: string) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'));
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (has(dir)) return dir;
  } catch {
    // no pg_config: the Debian path, then PATH
  }
  if (has(DEBIAN_POSTGRES_BIN)) return DEBIAN_POSTGRES_BIN;
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).trim();
    return onPath !== '' && has(path.dirname(onPath)) ? path.dirname(onPath) : undefined;
  } catch {
    return undefined;
  }
}

export interface PostgresClusterOptions {
  /**
   * fsync on, as a production server has it; off by default, since a throwaway test cluster
   * loses nothing it needs in a crash and several test files share one disk.
   */
  fsync?: boolean;
  /** shared_buffers in MB; 16 by default, as several test files run a cluster each at once. */
  sharedBuffersMb?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('PostgreSQL is not installed');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-pg-'));
  const data = path.join(root, 'data');
  const sockets = path.join(root, 'sockets');
  fs.mkdirSync(sockets);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', root]);
  const run = (program: string, args: string[]): void => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]] : [path.join(bin, program), args];
    const result = spawnSync(cmd as string, argv as string[], { encoding: 'utf8', cwd: root });
    if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.stdout}`);
  };

  run('initdb', ['-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '-D', data]);
  // The superuser is trusted on loopback; every other role must give its password.
  fs.writeFileSync(
    path.join(data, 'pg_hba.conf'),
    'local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  const port = await freePort();
  const logFile = path.join(root, 'server.log');
  const fsync = options.fsync === true ? 'on' : 'off';
  const serverOptions = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=${fsync} -c max_connections=200 -c shared_buffers=${options.sharedBuffersMb ?? 16}MB`;
  const start = () => run('pg_ctl', ['-D', data, '-l', logFile, '-o', serverOptions, '-w', 'start']);
  const stopServer = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  // A test file that dies before its afterAll must not leave a server running.
  const leftover = () => {
    try {
      stopServer();
    } catch {
      // not running
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', leftover);
  start();

  const host = '127.0.0.1';
  const adminUrl = (database = 'postgres') => `postgres://postgres@${host}:${port}/${database}`;
  const admin = async <T>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE ROLE ${APP_USER} LOGIN PASSWORD '${APP_PASSWORD}'`);

  let next = 0;
  return {
    host,
    port,
    adminUrl,
    async createDatabase() {
      next += 1;
      const name = `t${process.pid}_${next}`;
      await admin(`CREATE DATABASE ${name} OWNER ${APP_USER}`);
      return `postgres://${APP_USER}:${APP_PASSWORD}@${host}:${port}/${name}`;
    },
    stopServer,
    startServer: start,
    async stop() {
      process.removeListener('exit', leftover);
      leftover();
    },
  };
}
