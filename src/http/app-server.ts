import http from 'node:http';
import type { Express } from 'express';

/**
 * A constructor for `base`'s instances whose prototype is `proto` from birth (`proto` must inherit
 * from `base.prototype`). Reflect.construct, so that it works whether `base` is a function or a class.
 */
function bornWith<T extends object>(base: T, proto: object): T {
  function Born(this: unknown, ...args: unknown[]) {
    (base as unknown as (...args: unknown[]) => void).apply(this, args);
  }
  Born.prototype = proto;
  return Born as unknown as T;
}

/**
 * The HTTP server for `app`, as `app.listen` would make it, except that its requests and responses
 * are created with the app's prototypes (`app.request`, `app.response`) instead of Node's. Express
 * gives every request and response those prototypes on arrival with Object.setPrototypeOf, which
 * moves each object to a new hidden class: the property accesses that follow, in Node's HTTP code
 * and ours, then meet shapes they have not seen and run slower. Here that call finds the prototype
 * already in place and does nothing.
 */
export function appServer(app: Express): http.Server {
  return http.createServer(
    {
      IncomingMessage: bornWith(http.IncomingMessage, app.request),
      ServerResponse: bornWith(http.ServerResponse, app.response),
    },
    app,
  );
}
