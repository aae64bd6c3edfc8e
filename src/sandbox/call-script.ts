// What the person called does, since the sandbox has no phone: keys and words at each <Gather>,
// how each <Dial> ends, who picks up (as answering machine detection would tell), and whether
// they speak at a <Record>. Defaults come from `switchboard sandbox` flags; headers on one
// create request (X-Sandbox-*) change them for that call.
import type * as http from 'node:http';
import { DIAL_STATUSES, RECORDING_SCRIPTS, type DialStatus, type RecordingScript } from '../cli/call-simulator';
import { isAnsweredBy, type AnsweredBy } from './amd';

export interface CallScript {
  digits: readonly string[];
  speech: readonly string[];
  dialStatus: DialStatus;
  /** Who answers, for MachineDetection (default `human`). */
  answeredBy?: AnsweredBy;
  /** At each <Record>: a message (default) or silence. */
  recording?: RecordingScript;
}

export const SCRIPT_HEADERS = {
  digits: 'x-sandbox-digits',
  speech: 'x-sandbox-speech',
  dialStatus: 'x-sandbox-dial-status',
  answeredBy: 'x-sandbox-answered-by',
  recording: 'x-sandbox-recording',
} as const;

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The script for one call: the X-Sandbox-* headers (comma lists for digits and speech), else the defaults; an unknown value is the default. */
export function scriptFrom(headers: http.IncomingHttpHeaders, defaults: CallScript): CallScript {
  const digits = header(headers, SCRIPT_HEADERS.digits);
  const speech = header(headers, SCRIPT_HEADERS.speech);
  const dialStatus = header(headers, SCRIPT_HEADERS.dialStatus);
  const named = header(headers, SCRIPT_HEADERS.answeredBy);
  const answeredBy = isAnsweredBy(named) ? named : defaults.answeredBy;
  const recording = RECORDING_SCRIPTS.find((script) => script === header(headers, SCRIPT_HEADERS.recording)) ?? defaults.recording;
  return {
    digits: digits === undefined ? defaults.digits : digits.split(','),
    speech: speech === undefined ? defaults.speech : speech.split(','),
    dialStatus: DIAL_STATUSES.find((status) => status === dialStatus) ?? defaults.dialStatus,
    ...(answeredBy !== undefined && { answeredBy }),
    ...(recording !== undefined && { recording }),
  };
}
