import { CliError } from './errors';
import { fakeSid } from './sids';
import { parseTwiml, TwimlParseError, type TwimlElement } from './twiml-document';
import { TWIML_ERROR_NAMES, type TwimlFailure } from './twiml-failure';
import {
  method,
  publicUrlFor,
  refusal,
  requestOf,
  resolve,
  sendUrlFor,
  sendWebhook,
  signingNote,
  simulatedTimeNote,
  type Params,
  type SimulatedRequest,
  type WebhookTarget,
  WebhookTransportError,
} from './webhook-client';

export const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialStatus = (typeof DIAL_STATUSES)[number];
export type Outcome = 'hangup' | 'reject' | 'end' | 'max-steps' | 'error';
/** What the caller does at a `<Record>`: leave a message, or say nothing (Twilio keeps no recording). */
export const RECORDING_SCRIPTS = ['message', 'silent'] as const;
export type RecordingScript = (typeof RECORDING_SCRIPTS)[number];
export type { SimulatedRequest, TwimlFailure };

/** A `<Record>` verb's outcome, for whoever plays Twilio's part with it (recording status callbacks). */
export interface VerbRecording {
  recordingSid: string;
  /** Where the audio is served; null when the caller was silent and nothing was kept. */
  url: string | null;
  seconds: number;
  /** The verb's attributes (recordingStatusCallback...), and the document URL relative ones resolve against. */
  attributes: Readonly<Record<string, string>>;
  docUrl: string;
}

export interface FallbackTarget {
  url: string;
  method: 'GET' | 'POST';
}

export interface CallSimulation {
  /** The first webhook, at the address the server is reached on (`--url`). */
  url: string;
  target: WebhookTarget;
  call: { callSid: string; accountSid: string; from: string; to: string };
  /** The Nth `<Gather>` gets the Nth entry of each list; empty or missing entries are silence. */
  digits: readonly string[];
  speech: readonly string[];
  dialStatus: DialStatus;
  /** Every `<Record>`: a message (the default) or silence. */
  recording?: RecordingScript;
  /** Requests allowed before the walk is cut (a TwiML loop would otherwise never end). */
  maxSteps: number;
  /**
   * The call status callback URL (public, as Twilio sees it). When set, the call ends with the
   * callback Twilio sends then, so the server's history shows how the call ended.
   */
  statusCallback?: string;
  /** The sandbox's additions; without them the walk is an inbound call that first POSTs `url`. */
  twilio?: {
    /** `outbound-api`: the call was made through the REST API, answered before the first fetch. */
    direction: 'inbound' | 'outbound-api';
    /** How `url` is fetched (CreateCall's `Method`). */
    method: 'GET' | 'POST';
    /** CreateCall's inline `Twiml`: the first document, fetched from nowhere. */
    twiml?: string;
    /** Where a `<Record>`ing can be fetched; by default an address that serves nothing. */
    recordingUrl?(recordingSid: string): string;
    /** Told of each `<Record>` (callbacks about the recording); awaited before the walk goes on. */
    recorded?(recording: VerbRecording): Promise<void>;
    /** Sent with the first request for the call's TwiML only (synchronous AMD's AnsweredBy). */
    firstParams?: Params;
    /** Awaited once, when the first document is in hand (asynchronous AMD reports then). */
    connected?(): Promise<void>;
    /** Where a failed TwiML request goes next (the call's FallbackUrl); read at each failure, since an update may change it. */
    fallback?(): FallbackTarget | null;
    /** Told of each failed TwiML request as Twilio's debugger logs it, and what the call does next. */
    failed?(failure: TwimlFailure, next: 'fallback' | 'application-error'): void;
  };
}


export interface SimulatedStep {
  request: SimulatedRequest;
  status: number;
  twiml: string;
  /** What the caller hears from this document: `<Say>` text and `<Play>` URLs, in order. */
  heard: string[];
}

/** The status callback that ended the call, and what the server answered. */
export interface SimulatedStatusCallback {
  request: SimulatedRequest;
  status: number;
}

export interface CallSimulationResult {
  steps: SimulatedStep[];
  /** Present when a status callback URL was given and the server answered the call. */
  statusCallback?: SimulatedStatusCallback;
  outcome: Outcome;
  /** Why the walk stopped, for outcomes `error` and `max-steps`. */
  error?: string;
  transcript: string[];
}

/** Twilio's fake recording lasts this long; any positive number would do. */
const RECORDING_SECONDS = '7';
const DIALED_SECONDS = '30';
const SPEECH_CONFIDENCE = '0.92';
// The call's simulated length, for CallDuration: a rough but fixed figure for each verb, so the
// same walk always reports the same duration.
const WORDS_PER_SECOND = 2.5;
const PLAY_SECONDS = 5;
const GATHER_INPUT_SECONDS = 2;
const DEFAULT_GATHER_TIMEOUT = 5;
const DEFAULT_DIAL_TIMEOUT = 30;

/** The final CallStatus a walk ends with: a dial nobody took (or a Reject) ends it unanswered. */
type EndStatus = 'completed' | 'busy' | 'no-answer';

function seconds(value: string | undefined, fallback: number): number {
  const number = value === undefined || !/^\d{1,5}$/.test(value) ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : fallback;
}

interface NextRequest {
  method: 'GET' | 'POST';
  /** Public URL (as Twilio sees it). */
  url: string;
  extra: Params;
  /** The request to the FallbackUrl: if it fails too, the call ends. */
  fallback?: boolean;
}

interface Fetched {
  document: TwimlElement;
  docUrl: string;
  heard: string[];
}

/** Twilio's words when a call's TwiML cannot be had and no fallback saves it. */
const APPLICATION_ERROR = 'We are sorry, an application error has occurred. Goodbye.';
const DEFAULT_RECORD_TIMEOUT = 5;

type VerbResult = { next: NextRequest } | { outcome: Outcome } | undefined;

/** Plays Twilio's part in a call against any TwiML server, following the documents it answers. */
export async function simulateCall(simulation: CallSimulation): Promise<CallSimulationResult> {
  return new CallWalk(simulation).run();
}

class CallWalk {
  private readonly steps: SimulatedStep[] = [];
  private readonly transcript: string[] = [];
  private gathers = 0;
  /** Documents received; an inbound call is still ringing until the first one. */
  private documents = 0;
  /** Work a verb started that the walk waits for before its next request (recording callbacks). */
  private pending: Array<Promise<void>> = [];
  private elapsedSeconds = 0;
  /** Set by a dial nobody took; cleared when the caller then does something (keys, a message). */
  private unanswered: EndStatus | undefined;
  private statusCallback: SimulatedStatusCallback | undefined;

  constructor(private readonly sim: CallSimulation) {}

  async run(): Promise<CallSimulationResult> {
    const { call } = this.sim;
    this.transcript.push(`Call ${call.callSid} from ${call.from} to ${call.to}`, signingNote(this.sim.target), ...simulatedTimeNote(this.sim.target));
    const { outcome, error } = await this.walk();
    await this.endCall();
    return this.finish(outcome, error);
  }

  private async walk(): Promise<{ outcome: Outcome; error?: string }> {
    const twilio = this.sim.twilio;
    let next: NextRequest = {
      method: twilio?.method ?? 'POST',
      url: publicUrlFor(this.sim.target, new URL(this.sim.url).href),
      extra: [...(twilio?.firstParams ?? [])],
    };
    let inline = twilio?.twiml;
    try {
      for (;;) {
        if (this.steps.length >= this.sim.maxSteps) {
          return { outcome: 'max-steps', error: `stopped after ${this.sim.maxSteps} requests; the TwiML may loop (raise --max-steps if not)` };
        }
        const fetched = inline === undefined ? await this.fetch(next) : this.inline(inline);
        inline = undefined;
        if ('failure' in fetched) {
          const { failure } = fetched;
          // Twilio tries the fallback once per failure; a failing fallback ends the call.
          const fallback = next.fallback === true ? null : (twilio?.fallback?.() ?? null);
          twilio?.failed?.(failure, fallback === null ? 'application-error' : 'fallback');
          if (fallback === null) {
            // Playing Twilio, the caller hears its application-error message before the hang-up.
            if (twilio !== undefined) this.transcript.push(`  Error ${failure.code} (${TWIML_ERROR_NAMES[failure.code]}): Say: ${APPLICATION_ERROR}`);
            return { outcome: 'error', error: failure.message };
          }
          this.transcript.push(`  Error ${failure.code} (${TWIML_ERROR_NAMES[failure.code]}): ${failure.message}; Twilio requests the FallbackUrl`);
          next = {
            method: fallback.method,
            url: fallback.url,
            extra: [...next.extra, ['ErrorCode', String(failure.code)], ['ErrorUrl', failure.url]],
            fallback: true,
          };
          continue;
        }
        const { document, docUrl, heard } = fetched;
        if (this.documents++ === 0) await twilio?.connected?.();
        const result = this.perform(document.children, docUrl, heard, '  ');
        await this.settle();
        if (result === undefined) {
          this.transcript.push('  (end of document: Twilio hangs up)');
          return { outcome: 'end' };
        }
        if ('outcome' in result) return { outcome: result.outcome };
        next = result.next;
      }
    } catch (err) {
      if (err instanceof CliError) return { outcome: 'error', error: err.message };
      throw err;
    }
  }

  /**
   * Sends the status callback Twilio sends when the call ends, signed like the rest, unless the
   * server never took the call. Its answer is reported but does not change the outcome: Twilio
   * does not retry a refused callback either.
   */
  private async endCall(): Promise<void> {
    const url = this.sim.statusCallback;
    if (url === undefined || !this.steps.some((step) => step.status >= 200 && step.status <= 299)) return;
    const status: EndStatus = this.unanswered ?? 'completed';
    const duration = status === 'completed' ? String(Math.max(1, Math.ceil(this.elapsedSeconds))) : undefined;
    const params = this.callParams(status, [
      ['CallbackSource', 'call-progress-events'],
      ['SequenceNumber', '0'],
      ...(duration === undefined ? [] : ([['CallDuration', duration]] as Params)),
    ]);
    const shown = `CallStatus=${status}${duration === undefined ? '' : `, CallDuration=${duration}`}`;
    this.transcript.push(`Call ends: ${status}${duration === undefined ? '' : `, ${duration} s`}`, `→ POST ${sendUrlFor(this.sim.target, url)}  ${shown}`);
    try {
      const exchange = await sendWebhook(this.sim.target, { method: 'POST', url, params });
      this.statusCallback = { request: requestOf(exchange), status: exchange.status };
      if (exchange.status < 200 || exchange.status > 299) this.transcript.push(`  Not recorded: ${refusal(exchange)}`);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      this.transcript.push(`  Not delivered: ${err.message}`);
    }
  }

  /** Waits for what the last document's verbs started. */
  private async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }

  /** The inline first document: relative URLs in it resolve against `url`, as Twilio's do against nothing better. */
  private inline(twiml: string): Fetched {
    this.transcript.push('→ (inline TwiML)');
    const heard: string[] = [];
    try {
      return { document: parseTwiml(twiml), docUrl: new URL(this.sim.url).href, heard };
    } catch (err) {
      if (err instanceof TwimlParseError) throw new CliError(`inline TwiML: ${err.message}`);
      throw err;
    }
  }

  /** The parameters Twilio sends with every request about this call. */
  private callParams(callStatus: string, extra: Params): Params {
    const { call } = this.sim;
    return [
      ['CallSid', call.callSid],
      ['AccountSid', call.accountSid],
      ['From', call.from],
      ['To', call.to],
      ['Caller', call.from],
      ['Called', call.to],
      ['CallStatus', callStatus],
      ['Direction', this.sim.twilio?.direction ?? 'inbound'],
      ['ApiVersion', '2010-04-01'],
      ...extra,
    ];
  }

  /** One TwiML request: the document, or why there is none (a typed failure, as Twilio's debugger names it). */
  private async fetch(request: NextRequest): Promise<Fetched | { failure: TwimlFailure }> {
    // An API call is answered before Twilio asks for its TwiML; an inbound one is still ringing.
    const ringing = this.documents === 0 && this.sim.twilio?.direction !== 'outbound-api';
    const params = this.callParams(ringing ? 'ringing' : 'in-progress', request.extra);
    const shown = request.extra.map(([name, value]) => `${name}=${value}`).join(', ');
    this.transcript.push(`→ ${request.method} ${sendUrlFor(this.sim.target, request.url)}${shown === '' ? '' : `  ${shown}`}`);
    const failed = (code: TwimlFailure['code'], message: string) => ({ failure: { code, method: request.method, url: request.url, message } });
    let exchange: Awaited<ReturnType<typeof sendWebhook>>;
    try {
      exchange = await sendWebhook(this.sim.target, { method: request.method, url: request.url, params });
    } catch (err) {
      if (err instanceof WebhookTransportError) return failed(err.kind === 'too-large' ? 11750 : 11205, err.message);
      throw err;
    }
    const heard: string[] = [];
    this.steps.push({ request: requestOf(exchange), status: exchange.status, twiml: exchange.body, heard });
    if (exchange.status < 200 || exchange.status > 299) return failed(11200, refusal(exchange));
    try {
      // Twilio resolves relative URLs against the document's own (public) URL.
      return { document: parseTwiml(exchange.body), docUrl: exchange.publicUrl, heard };
    } catch (err) {
      if (err instanceof TwimlParseError) return failed(12100, `${exchange.method} ${exchange.url}: ${err.message}`);
      throw err;
    }
  }

  /** Runs verbs in order until one leaves the document. */
  private perform(verbs: readonly TwimlElement[], docUrl: string, heard: string[], indent: string): VerbResult {
    for (const verb of verbs) {
      const result = this.verb(verb, docUrl, heard, indent);
      if (result !== undefined) return result;
    }
    return undefined;
  }

  private verb(verb: TwimlElement, docUrl: string, heard: string[], indent: string): VerbResult {
    const line = (text: string) => this.transcript.push(indent + text);
    const attr = verb.attributes;
    switch (verb.name) {
      case 'Say':
        this.elapsedSeconds += Math.max(1, Math.ceil(verb.text.split(/\s+/).filter(Boolean).length / WORDS_PER_SECOND));
        heard.push(verb.text);
        line(`Say: ${verb.text}${loops(attr.loop)}`);
        return undefined;
      case 'Play':
        this.elapsedSeconds += attr.digits !== undefined ? 1 : PLAY_SECONDS;
        if (attr.digits !== undefined) {
          line(`Play digits: ${attr.digits}`);
        } else {
          const url = resolve(verb.text, docUrl);
          heard.push(url);
          line(`Play: ${url}${loops(attr.loop)}`);
        }
        return undefined;
      case 'Pause':
        this.elapsedSeconds += seconds(attr.length, 1);
        line(`Pause: ${attr.length ?? '1'} s`);
        return undefined;
      case 'Gather':
        return this.gather(verb, docUrl, heard, indent);
      case 'Redirect': {
        if (verb.text === '') throw new CliError('<Redirect> has no URL');
        const url = resolve(verb.text, docUrl);
        line(`Redirect: ${url}`);
        return { next: { method: method(attr.method), url, extra: [] } };
      }
      case 'Dial':
        return this.dial(verb, docUrl, line);
      case 'Record':
        return this.record(verb, docUrl, line);
      case 'Hangup':
        line('Hangup');
        return { outcome: 'hangup' };
      case 'Reject':
        // Twilio: a rejected call ends "busy" with reason="busy", else "no-answer".
        this.unanswered = attr.reason === 'busy' ? 'busy' : 'no-answer';
        line(`Reject (${attr.reason ?? 'rejected'})`);
        return { outcome: 'reject' };
      default:
        line(`<${verb.name}> is not simulated; skipped`);
        return undefined;
    }
  }

  private gather(verb: TwimlElement, docUrl: string, heard: string[], indent: string): VerbResult {
    const accepts = (verb.attributes.input ?? 'dtmf').split(/\s+/);
    this.transcript.push(`${indent}Gather (${accepts.map((kind) => (kind === 'dtmf' ? 'keys' : kind)).join(', ')}):`);
    // Prompts inside a Gather are heard like any other; only Say, Play and Pause belong there.
    this.perform(verb.children, docUrl, heard, `${indent}  `);

    const index = this.gathers++;
    const digits = this.sim.digits[index]?.trim() || undefined;
    const speech = this.sim.speech[index]?.trim() || undefined;
    const target: NextRequest = {
      method: method(verb.attributes.method),
      url: verb.attributes.action ? resolve(verb.attributes.action, docUrl) : docUrl,
      extra: [],
    };
    const answered = () => {
      this.elapsedSeconds += GATHER_INPUT_SECONDS;
      this.unanswered = undefined;
    };
    if (digits !== undefined && accepts.includes('dtmf')) {
      answered();
      this.transcript.push(`${indent}Caller presses ${digits}`);
      target.extra.push(['Digits', digits]);
      return { next: target };
    }
    if (speech !== undefined && accepts.includes('speech')) {
      answered();
      this.transcript.push(`${indent}Caller says "${speech}"`);
      target.extra.push(['SpeechResult', speech], ['Confidence', SPEECH_CONFIDENCE]);
      return { next: target };
    }
    this.elapsedSeconds += seconds(verb.attributes.timeout, DEFAULT_GATHER_TIMEOUT);
    const unheard = [digits !== undefined && `presses ${digits}`, speech !== undefined && `says "${speech}"`].filter(Boolean);
    const note = unheard.length > 0 ? ` (caller ${unheard.join(' and ')}, which this Gather does not listen for)` : '';
    if (verb.attributes.actionOnEmptyResult === 'true') {
      this.transcript.push(`${indent}No input: timeout${note}`);
      return { next: target };
    }
    // As on Twilio: a Gather that hears nothing falls through to the next verb.
    this.transcript.push(`${indent}No input: timeout, continuing with the next verb${note}`);
    return undefined;
  }

  private dial(verb: TwimlElement, docUrl: string, line: (text: string) => void): VerbResult {
    const parties = verb.children.length > 0 ? verb.children.map(dialed) : [verb.text];
    line(`Dial: ${parties.join(', ')}`);
    const status = this.sim.dialStatus;
    line(`Dial result: ${status}`);
    const answered = status === 'completed' || status === 'answered';
    this.elapsedSeconds += answered ? Number(DIALED_SECONDS) : status === 'no-answer' ? seconds(verb.attributes.timeout, DEFAULT_DIAL_TIMEOUT) : 1;
    this.unanswered = status === 'busy' || status === 'no-answer' ? status : undefined;
    if (!verb.attributes.action) return undefined;
    const extra: Params = [['DialCallStatus', status]];
    if (answered) extra.push(['DialCallSid', fakeSid('CA')], ['DialCallDuration', DIALED_SECONDS]);
    return { next: { method: method(verb.attributes.method), url: resolve(verb.attributes.action, docUrl), extra } };
  }

  private record(verb: TwimlElement, docUrl: string, line: (text: string) => void): VerbResult {
    const attr = verb.attributes;
    line(attr.playBeep === 'false' ? 'Record' : 'Record (beep)');
    if (this.sim.recording === 'silent') {
      // Twilio keeps no recording of silence and, without one, goes on with the next verb
      // instead of requesting the action URL.
      this.elapsedSeconds += seconds(attr.timeout, DEFAULT_RECORD_TIMEOUT);
      line('Caller says nothing: no recording, continuing with the next verb');
      this.report({ recordingSid: fakeSid('RE'), url: null, seconds: 0, attributes: attr, docUrl });
      return undefined;
    }
    this.elapsedSeconds += Number(RECORDING_SECONDS);
    this.unanswered = undefined;
    // The caller ends the recording with a finish key when there is one, else by hanging up.
    const finishOnKey = attr.finishOnKey ?? '1234567890*#';
    const key = finishOnKey === '' ? 'hangup' : finishOnKey.includes('#') ? '#' : (finishOnKey[0] ?? 'hangup');
    const recordingSid = fakeSid('RE');
    line(`Caller leaves a ${RECORDING_SECONDS}-second recording and ${key === 'hangup' ? 'hangs up' : `presses ${key}`}`);
    const recordingUrl = this.sim.twilio?.recordingUrl?.(recordingSid) ?? `https://recordings.example.com/simulated/${recordingSid}`;
    this.report({ recordingSid, url: recordingUrl, seconds: Number(RECORDING_SECONDS), attributes: attr, docUrl });
    return {
      next: {
        method: method(attr.method),
        url: attr.action ? resolve(attr.action, docUrl) : docUrl,
        extra: [
          ['RecordingUrl', recordingUrl],
          ['RecordingSid', recordingSid],
          ['RecordingDuration', RECORDING_SECONDS],
          ['Digits', key],
        ],
      },
    };
  }

  /** Tells the sandbox of a recording; the walk waits for it before its next request. */
  private report(recording: VerbRecording): void {
    const told = this.sim.twilio?.recorded?.(recording);
    if (told !== undefined) this.pending.push(told);
  }

  private finish(outcome: Outcome, error?: string): CallSimulationResult {
    const requests = `${this.steps.length} request${this.steps.length === 1 ? '' : 's'}`;
    this.transcript.push(error === undefined ? `Outcome: ${outcome} after ${requests}` : `Outcome: ${outcome} after ${requests}: ${error}`);
    return {
      steps: this.steps,
      ...(this.statusCallback !== undefined && { statusCallback: this.statusCallback }),
      outcome,
      ...(error !== undefined && { error }),
      transcript: this.transcript,
    };
  }
}

function loops(loop: string | undefined): string {
  if (loop === undefined || loop === '1') return '';
  return loop === '0' ? ' (repeats until the caller acts)' : ` (×${loop})`;
}

function dialed(noun: TwimlElement): string {
  switch (noun.name) {
    case 'Client':
      return `client:${noun.children.find((child) => child.name === 'Identity')?.text ?? noun.ownText}`;
    case 'Conference':
      return `conference "${noun.text}"`;
    case 'Queue':
      return `queue "${noun.text}"`;
    case 'Sip':
      return noun.ownText;
    default:
      return noun.text;
  }
}
