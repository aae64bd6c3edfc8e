// One event per thing "Twilio" did, as a readable line or a JSON line (--json). Events carry
// numbers, SIDs, URLs and statuses, never a credential: there is no field for one.

export type SandboxEvent =
  | { event: 'listening'; url: string; accountSid: string; signed: boolean }
  | { event: 'request'; method: string; path: string; status: number | null; code: number | null; sid: string | null }
  | { event: 'status'; sid: string; status: string; errorCode?: number }
  | { event: 'callback'; sid: string; status: string; method: 'GET' | 'POST'; url: string; answer: number | null; error?: string }
  | { event: 'twiml'; sid: string; method: 'GET' | 'POST' | 'inline'; url: string; answer: number | null; heard: string[] }
  | { event: 'call-ended'; sid: string; outcome: string; error?: string; transcript: string[] }
  | { event: 'inbound-sms'; sid: string; url: string; answer: number | null; replies: number; error?: string }
  | { event: 'recording'; sid: string; callSid: string; url: string }
  | { event: 'recording-callback'; sid: string; callSid: string; status: string; method: 'GET' | 'POST'; url: string; answer: number | null; error?: string }
  | { event: 'answered-by'; sid: string; answeredBy: string; mode: string; async: boolean }
  | { event: 'amd-callback'; sid: string; answeredBy: string; method: 'GET' | 'POST'; url: string; answer: number | null; error?: string }
  /** What Twilio's debugger would show for the call: an error or warning code and what it was about. */
  | { event: 'debugger'; sid: string; level: 'error' | 'warning'; code: number; message: string }
  | { event: 'error'; message: string };

export type SandboxLog = (event: SandboxEvent) => void;

function answered(answer: number | null, error: string | undefined): string {
  if (error !== undefined) return `failed: ${error}`;
  return answer === null ? 'no answer' : `→ ${answer}`;
}

/** The readable form, one line. */
export function eventText(event: SandboxEvent): string {
  switch (event.event) {
    case 'listening':
      return `Twilio sandbox listening on ${event.url} for account ${event.accountSid}${event.signed ? '' : ' (no TWILIO_AUTH_TOKEN: callbacks and webhooks are not signed)'}`;
    case 'request': {
      const result = event.status === null ? 'dropped' : `${event.status}${event.code === null ? '' : ` (error ${event.code})`}`;
      return `API ${event.method} ${event.path} → ${result}${event.sid === null ? '' : ` ${event.sid}`}`;
    }
    case 'status':
      return `${event.sid} is ${event.status}${event.errorCode === undefined ? '' : ` (error ${event.errorCode})`}`;
    case 'callback':
      return `${event.sid} status callback ${event.status}: ${event.method} ${event.url} ${answered(event.answer, event.error)}`;
    case 'twiml': {
      const heard = event.heard.length === 0 ? '' : `; caller hears: ${event.heard.join(' | ')}`;
      return event.method === 'inline'
        ? `${event.sid} runs its inline TwiML${heard}`
        : `${event.sid} fetches TwiML: ${event.method} ${event.url} ${answered(event.answer, undefined)}${heard}`;
    }
    case 'call-ended':
      // The walk as the caller lived it, indented under the line.
      return [`${event.sid} TwiML walk ended: ${event.outcome}${event.error === undefined ? '' : ` (${event.error})`}`, ...event.transcript.map((line) => `    ${line}`)].join('\n');
    case 'inbound-sms':
      return `${event.sid} inbound text delivered: POST ${event.url} ${answered(event.answer, event.error)}, ${event.replies} repl${event.replies === 1 ? 'y' : 'ies'}`;
    case 'recording':
      return `${event.sid} recorded on call ${event.callSid}: ${event.url}`;
    case 'recording-callback':
      return `${event.sid} recording status callback ${event.status} (call ${event.callSid}): ${event.method} ${event.url} ${answered(event.answer, event.error)}`;
    case 'answered-by':
      return `${event.sid} answered by ${event.answeredBy} (MachineDetection=${event.mode}${event.async ? ', AsyncAmd' : ''})`;
    case 'amd-callback':
      return `${event.sid} AMD callback AnsweredBy=${event.answeredBy}: ${event.method} ${event.url} ${answered(event.answer, event.error)}`;
    case 'debugger':
      return `${event.sid} debugger ${event.level} ${event.code}: ${event.message}`;
    case 'error':
      return `sandbox error: ${event.message}`;
  }
}

export function eventJson(event: SandboxEvent, at: Date): string {
  return JSON.stringify({ time: at.toISOString(), ...event });
}

/** A log writing lines to `write`, readable or JSON. */
export function lineLog(write: (line: string) => void, json: boolean, now: () => Date): SandboxLog {
  return (event) => write(`${json ? eventJson(event, now()) : eventText(event)}\n`);
}
