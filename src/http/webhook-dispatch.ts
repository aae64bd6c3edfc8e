import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';

/** Express's entry point (app.handle), which the `app` function itself calls for every request. */
type Handle = (req: IncomingMessage, res: ServerResponse, callback?: (err?: unknown) => void) => void;

export interface DirectDispatch {
  /** Each webhook's exact path and the handler its Express route runs (`app.all(path, handler)`). */
  routes: ReadonlyArray<{ path: string; handler: RequestHandler }>;
  /** The app's first middleware, which every request passes (security headers, request log). */
  front: RequestHandler;
  /** What the app does with a request no layer answered. */
  notFound: RequestHandler;
  /** The app's error handler. */
  onError: ErrorRequestHandler;
}

/**
 * A path with no parameter that no earlier path with a parameter could match: Express would
 * dispatch it to its own route. Earlier exact paths are different strings, so they cannot match it.
 */
interface DirectRoute {
  handler: RequestHandler;
  /** What Express leaves in `req.route` once a route dispatches; the metrics label requests by its path. */
  route: { readonly path: string };
}

function directPaths(routes: DirectDispatch['routes']): Map<string, DirectRoute> {
  const direct = new Map<string, DirectRoute>();
  const parameterPrefixes: string[] = [];
  for (const { path, handler } of routes) {
    const parameter = path.search(/[:*?({]/);
    if (parameter !== -1) {
      parameterPrefixes.push(path.slice(0, parameter));
      continue;
    }
    if (!direct.has(path) && !parameterPrefixes.some((prefix) => path.startsWith(prefix))) {
      direct.set(path, { handler, route: Object.freeze({ path }) });
    }
  }
  return direct;
}

/**
 * Sends a request for exactly one of the webhook paths straight to its route's handler, after the
 * app's first middleware, doing for it what Express's app.handle and router would have done:
 * Twilio calls these on every call and message, and Express's dispatch (a router walk, a layer
 * match, a route dispatch, a closure and a property or two per layer) cost a webhook more than
 * its signature check and database row together (issue #19).
 *
 * The routes stay Express routes, registered as before: anything this does not recognise exactly
 * (another case, a trailing slash, an absolute URL, a mounted app's request) goes through Express
 * and reaches the same handler there. Handlers see the same request: Express's prototypes (so
 * `req.query`, `req.path`, `res.status`…), `originalUrl`, `baseUrl`, `params`, `res.locals`.
 * An error goes to the app's error handler, as Express would route it; a handler that calls
 * `next()` without one gets the app's 404, as after the last route.
 */
export function dispatchWebhooksDirectly(app: Express, { routes, front, notFound, onError }: DirectDispatch): void {
  const direct = directPaths(routes);
  const viaExpress = (app as unknown as { handle: Handle }).handle;
  const { request, response } = app;

  (app as unknown as { handle: Handle }).handle = function handle(this: unknown, req, res, callback) {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const route = direct.get(query === -1 ? url : url.slice(0, query));
    // A callback means this app is mounted in another: its next must stay Express's to call.
    if (route === undefined || callback !== undefined) return viaExpress.call(app, req, res, callback);

    const request_ = req as Request;
    const response_ = res as Response;
    request_.res = response_;
    response_.req = request_;
    // Only when needed: changing an object's prototype costs V8 a map transition.
    if (Object.getPrototypeOf(req) !== request) Object.setPrototypeOf(req, request);
    if (Object.getPrototypeOf(res) !== response) Object.setPrototypeOf(res, response);
    response_.locals ??= Object.create(null) as Response['locals'];
    request_.originalUrl = url;
    request_.baseUrl = '';
    request_.params = {};

    // What remains once a route has passed a request on: the 404, or the error handlers.
    const last = (): void => {
      // The app's handlers always answer; this is only in case one of them does not.
      if (response_.headersSent) response_.destroy();
      else response_.status(500).end();
    };
    const next: NextFunction = (err?: unknown) => {
      if (err === undefined || err === null || err === 'route' || err === 'router') notFound(request_, response_, last);
      else onError(err, request_, response_, last);
    };
    try {
      front(request_, response_, (err?: unknown) => {
        if (err !== undefined) return next(err);
        request_.route = route.route;
        route.handler(request_, response_, next);
      });
    } catch (err) {
      // As Express's layers do: a handler that throws is an error passed on.
      next(err);
    }
  };
}
