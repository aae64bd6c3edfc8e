import http from 'node:http';
import type { Express } from 'express';

/**
 * A constructor for `base`'s instances whose prototype is `proto` from birth (`proto` must inherit
 * from `base.prototype`). It calls `base` on the new object, which works because Node's
 * IncomingMessage and ServerResponse are plain functions (test/http/app-server.test.ts fails if
 * they become classes). Reflect.construct with `Born` as new.target would work for classes too, but
 * measured slower than Express's prototype swap itself (docs/internals-performance.md).
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
