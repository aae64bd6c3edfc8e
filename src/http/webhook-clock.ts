import type { Request } from 'express';
import type { Clock } from '../clock';
import { checkSimulatedTime, SIMULATED_TIME_HEADER, SIMULATED_TIME_SIGNATURE_HEADER } from '../security/simulated-time';
import { twilioParams } from './twilio-params';

/**
 * The time a webhook is served at: the clock's, or the simulator's `--at` when it is signed with
 * the auth token (see security/simulated-time.ts). Anything else is served at the real time.
 */
export function webhookClock(clock: Clock, authToken: string | undefined): (req: Request) => Date {
  return (req) => {
    const time = req.get(SIMULATED_TIME_HEADER);
    const signature = req.get(SIMULATED_TIME_SIGNATURE_HEADER);
    if (time === undefined && signature === undefined) return clock.now();
    const params = twilioParams(req);
    const check = checkSimulatedTime(authToken, { time, signature, sid: params.CallSid ?? params.MessageSid });
    if (check.kind === 'honoured') {
      req.log.info({ at: check.at.toISOString() }, 'serving the webhook at the simulated time it was signed for');
      return check.at;
    }
    if (check.kind === 'ignored') req.log.warn({ reason: check.reason }, 'simulated time ignored; serving the webhook at the real time');
    return clock.now();
  };
}
