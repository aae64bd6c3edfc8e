// nginx for the deployment tests: the shipped site file (deploy/nginx/switchboard.conf) with only
// its ports and certificate paths changed, run by the test's own main config in a temp prefix:
// nothing from /etc/nginx, no port 80, logs and pid file in the prefix.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { NGINX_BIN } from './system-parts';

export const SHIPPED_SITE = path.resolve(__dirname, '../../deploy/nginx/switchboard.conf');

export interface SiteSubstitutions {
  /** The ports that replace 3001, 3002, 3003 in the upstream, in order. */
  upstreamPorts: readonly number[];
  /** Replaces `listen 443 ssl;` (bound on 127.0.0.1 only). */
  listenPort: number;
  certificate: string;
  certificateKey: string;
}

/** Replaces `from` in `text`, which must contain it exactly once: a changed shipped file fails loudly. */
function replaceOnce(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`${SHIPPED_SITE} should contain "${from}" exactly once (found ${count}): update test/support/nginx.ts`);
  return text.replace(from, () => to);
}

/** The shipped site file with the test's ports and certificate. */
export function siteFromShipped(sub: SiteSubstitutions): string {
  let site = fs.readFileSync(SHIPPED_SITE, 'utf8');
  sub.upstreamPorts.forEach((port, i) => (site = replaceOnce(site, `server 127.0.0.1:${3001 + i} `, `server 127.0.0.1:${port} `)));
  site = replaceOnce(site, 'listen 443 ssl;', `listen 127.0.0.1:${sub.listenPort} ssl;`);
  site = replaceOnce(site, '/etc/letsencrypt/live/switchboard.example.com/fullchain.pem', sub.certificate);
  site = replaceOnce(site, '/etc/letsencrypt/live/switchboard.example.com/privkey.pem', sub.certificateKey);
  const listens = site.match(/^\s*listen\s/gm) ?? [];
  if (listens.length !== 1) throw new Error(`${SHIPPED_SITE} has ${listens.length} listen lines; the test binds exactly one`);
  if (/^\s*server 127\.0\.0\.1:300\d/m.test(site)) throw new Error(`${SHIPPED_SITE} has more upstream servers than the test starts`);
  return site;
}

/** A self-signed certificate for 127.0.0.1 and localhost (openssl, P-256: quick to make). */
export function selfSignedCertificate(dir: string): { certificate: string; key: string; pem: string } {
  const certificate = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', certificate,
  ], { stdio: 'ignore' });
  return { certificate, key, pem: fs.readFileSync(certificate, 'utf8') };
}

export interface RunningNginx {
  prefix: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground with `site` in its http block; resolves once it accepts connections. */
export async function startNginx(prefix: string, site: string, port: number): Promise<RunningNginx> {
  // When the tests run as root, nginx's workers run as an unprivileged user: they must be able to
  // enter the prefix (the temp directories in it are created and chowned by the master).
  fs.chmodSync(prefix, 0o755);
  const file = (name: string) => path.join(prefix, name);
  fs.writeFileSync(file('switchboard.conf'), site);
  fs.writeFileSync(
    file('nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${file('nginx.pid')};`,
      `error_log ${file('error.log')} notice;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${file('access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((temp) => `  ${temp}_temp_path ${file(`${temp}_temp`)};`),
      `  include ${file('switchboard.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  // -e: the error log to use before the config is read, instead of /var/log/nginx/error.log.
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', `${prefix}/`, '-c', file('nginx.conf'), '-e', file('error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const errorLog = () => (fs.existsSync(file('error.log')) ? fs.readFileSync(file('error.log'), 'utf8') : '');

  // At most 100 tries, 50 ms apart.
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}${errorLog()}`);
    if (await accepts(port)) break;
    if (attempt >= 100) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on ${port}: ${stderr}${errorLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    prefix,
    errorLog,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT'); // graceful
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface NginxAnswer {
  status: number;
  body: string;
}

/**
 * One request to nginx's TLS listener on 127.0.0.1. Never rejects: status 0 means no answer at
 * all (nginx should always answer, with a 502 at worst), which the multi-instance tests count.
 */
export function requestThroughNginx(
  port: number,
  agent: https.Agent,
  method: 'GET' | 'POST',
  urlPath: string,
  body: string,
  headers: Record<string, string>,
): Promise<NginxAnswer> {
  return new Promise((resolve) => {
    const req = https.request(
      { host: '127.0.0.1', port, path: urlPath, method, agent, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}
