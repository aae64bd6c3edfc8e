import type { Request, RequestHandler, Response } from 'express';
import { BASE } from './layout';
import { noticePage } from './pages/notice';
import { basicPassword, readCookie, SESSION_COOKIE, SessionSigner } from './session';

export type SessionKind = 'cookie' | 'basic';

export function sendHtml(res: Response, status: number, page: string): void {
  res.status(status).type('html').send(page);
}

/** How the request was let in, set by `requireSession`. */
export function sessionKind(res: Response): SessionKind | undefined {
  return res.locals.dashboardSession as SessionKind | undefined;
}

/** Without API_KEY the dashboard is off (503), never open, like the API. */
export function requireApiKey(signer: SessionSigner | undefined): RequestHandler {
  return (_req, res, next) => {
    if (signer === undefined) {
      sendHtml(res, 503, noticePage('Dashboard disabled', 'The dashboard is disabled: set API_KEY on the server to use it.', { bare: true }));
      return;
    }
    next();
  };
}

/** Only dashboard paths, so the login form cannot be used to redirect elsewhere. */
export function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/dashboard(?:[/?][^\s\\]*)?$/.test(value) && !value.includes('//') ? value : undefined;
}

/**
 * Lets in a valid session cookie, or HTTP Basic with the API key as password (for curl).
 * A browser without either is sent to the login form; a wrong Basic password is a 401.
 */
export function requireSession(signer: SessionSigner, now: () => Date): RequestHandler {
  return (req, res, next) => {
    const password = basicPassword(req.get('Authorization'));
    if (password !== undefined) {
      if (!signer.isApiKey(password)) {
        res.set('WWW-Authenticate', 'Basic realm="Switchboard dashboard", charset="UTF-8"');
        sendHtml(res, 401, noticePage('Not signed in', 'The API key was not accepted.', { bare: true }));
        return;
      }
      res.locals.dashboardSession = 'basic';
      next();
      return;
    }
    if (signer.verify(readCookie(req.get('Cookie'), SESSION_COOKIE), now())) {
      res.locals.dashboardSession = 'cookie';
      next();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const back = safeNext(req.originalUrl);
      res.redirect(303, `${BASE}/login${back && back !== BASE ? `?next=${encodeURIComponent(back)}` : ''}`);
      return;
    }
    sendHtml(res, 401, noticePage('Not signed in', 'Sign in first.', { bare: true }));
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || url === 'null') return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * CSRF protection for the dashboard's forms, on top of the SameSite=Strict cookie: a POST must
 * come from a page of this server (Origin, or Referer when a browser sends no Origin).
 */
export function sameOrigin(publicBaseUrl: string | undefined): RequestHandler {
  const publicHost = hostOf(publicBaseUrl);
  return (req, res, next) => {
    const from = hostOf(req.get('Origin')) ?? hostOf(req.get('Referer'));
    if (from !== undefined && (from === requestHost(req) || from === publicHost)) {
      next();
      return;
    }
    sendHtml(res, 403, noticePage('Refused', 'This form must be sent from a page of this server (the Origin or Referer header did not match).', { bare: true }));
  };
}

function requestHost(req: Request): string | undefined {
  // Express 5's req.host keeps the port and follows X-Forwarded-Host when trust proxy is on.
  return req.host;
}
