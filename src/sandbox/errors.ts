// Twilio-shaped error bodies, and which Twilio code the sandbox answers for each
// validation problem. Codes come from shared/reference/TWILIO-REST.md §6 and
// Twilio's error pages (21201/21213 for calls); anything without a known code
// gets HTTP 400 with code 400 ("Bad Request").
import type { Violation } from './spec-validate';

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export interface ErrorAnswer {
  status: number;
  body: TwilioErrorBody;
}

export function twilioError(status: number, code: number, message: string): ErrorAnswer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

type CodeTable = Record<string, [number, string]>;

// Keyed by `${kind}:${param}` per operation.
const CODES: Record<string, CodeTable> = {
  CreateCall: {
    'missing:To': [21201, "No 'To' number is specified"],
    'missing:From': [21213, "No 'From' number is specified"],
    'conditional:Url|Twiml|ApplicationSid': [21205, 'Url parameter is required. Please provide a Url, Twiml or ApplicationSid'],
    'format:To': [21211, "Invalid 'To' Phone Number"],
    'format:From': [21212, "Invalid 'From' Phone Number"],
    'format:Url': [21205, 'Invalid Url'],
    // https://www.twilio.com/docs/api/errors/21234
    'enum:MachineDetection': [21234, 'Invalid Machine Detection configuration value'],
    'enum:AsyncAmd': [21234, 'Invalid Machine Detection configuration value'],
    'range:MachineDetectionSpeechThreshold': [21234, 'Invalid Machine Detection configuration value'],
    'range:MachineDetectionSpeechEndThreshold': [21234, 'Invalid Machine Detection configuration value'],
    'range:MachineDetectionSilenceTimeout': [21234, 'Invalid Machine Detection configuration value'],
  },
  CreateMessage: {
    'missing:To': [21604, "A 'To' phone number is required."],
    'conditional:From|MessagingServiceSid': [21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."],
    'conditional:Body|MediaUrl|ContentSid': [21602, 'Message body is required.'],
    'format:To': [21211, "Invalid 'To' Phone Number"],
    'format:From': [21212, "Invalid 'From' Phone Number"],
  },
};

/** The answer for the first violation, the way Twilio reports one problem at a time. */
export function answerForViolation(operationId: string, violation: Violation): ErrorAnswer {
  const known = CODES[operationId]?.[`${violation.kind}:${violation.param}`];
  if (known !== undefined) return twilioError(400, known[0], `${known[1]} (${violation.message})`);
  return twilioError(400, 400, violation.message);
}

export function notFound(path: string): ErrorAnswer {
  return twilioError(404, 20404, `The requested resource ${path} was not found`);
}
