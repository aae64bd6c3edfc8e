// The sandbox's own magic numbers, past Twilio's: recipients whose message or call is accepted
// at create time but then fails, as a real carrier can make it fail. Documented in docs/sandbox.md.

export type MessageOutcome = { status: 'delivered' } | { status: 'undelivered' | 'failed'; errorCode: number };
export type CallOutcome = 'answered' | 'busy' | 'no-answer' | 'failed';

const MESSAGE_OUTCOMES: Record<string, MessageOutcome> = {
  // 30003: unreachable destination handset; 30008: unknown error.
  '+15005550010': { status: 'undelivered', errorCode: 30003 },
  '+15005550011': { status: 'failed', errorCode: 30008 },
};

const CALL_OUTCOMES: Record<string, CallOutcome> = {
  '+15005550010': 'no-answer',
  '+15005550011': 'busy',
  '+15005550012': 'failed',
};

export function messageOutcome(to: string | null): MessageOutcome {
  return (to === null ? undefined : MESSAGE_OUTCOMES[to]) ?? { status: 'delivered' };
}

export function callOutcome(to: string | null): CallOutcome {
  return (to === null ? undefined : CALL_OUTCOMES[to]) ?? 'answered';
}
