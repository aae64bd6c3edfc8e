// Faults a test can make the sandbox answer with, to exercise a client's retry and
// unknown-outcome handling. Only tests create a controller: the CLI's sandbox has none,
// so it always answers as Twilio does.

export type SandboxFault =
  /** Twilio-style error JSON with this status (429 → code 20429, 5xx → 20500 by default). */
  | { kind: 'status'; status: number; code?: number; message?: string; retryAfter?: string }
  /** Answer normally but only after `ms` (omit `ms` to never answer). */
  | { kind: 'hang'; ms?: number }
  /** Destroy the socket once the request has been read: no response at all. */
  | { kind: 'reset' }
  /** A 2xx (default 201 for POST, 200 for GET) whose body is truncated JSON. */
  | { kind: 'malformed-json'; status?: number }
  /** An HTML error page, as a proxy or load balancer would send (default 502). */
  | { kind: 'html'; status?: number };

export interface FaultOptions {
  /** Which requests the fault applies to (default: any). `path` is a substring or RegExp. */
  match?: { method?: 'GET' | 'POST' | 'DELETE'; path?: string | RegExp };
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Process the request (create the call/message) before answering with the fault:
   * models "Twilio did it but the answer was lost". Default false. */
  processed?: boolean;
}

export type FaultSpec = SandboxFault & FaultOptions;

export interface FaultController {
  inject(fault: FaultSpec): void;
  /** Faults injected but not yet used up. */
  pending(): number;
  /** The first fault matching this request, used up by one; null when none applies. */
  take(method: string, path: string): FaultSpec | null;
  clear(): void;
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

function matches(fault: FaultSpec, method: string, path: string): boolean {
  const match = fault.match;
  if (match === undefined) return true;
  if (match.method !== undefined && match.method !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? path.includes(match.path) : match.path.test(path);
}

export function createFaultController(): FaultController {
  let faults: Array<FaultSpec & { remaining: number }> = [];
  return {
    inject(fault) {
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new FaultSpecError('inject: `times` must be a positive integer');
      faults.push({ ...fault, remaining: times });
    },
    pending() {
      return faults.reduce((sum, fault) => sum + fault.remaining, 0);
    },
    take(method, path) {
      const index = faults.findIndex((fault) => matches(fault, method, path));
      const fault = faults[index];
      if (fault === undefined) return null;
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.splice(index, 1);
      return fault;
    },
    clear() {
      faults = [];
    },
  };
}
