// A call's life after the create, as Twilio runs it: initiated → ringing → answered
// (in-progress) → its TwiML walked by the call simulator → completed with a CallDuration; or
// busy / no-answer / failed for the sandbox's failing numbers. Status callbacks are signed and
// honour StatusCallbackEvent (only `completed` when none is named).
import type * as http from 'node:http';
import { DIAL_STATUSES, simulateCall, type DialStatus } from '../cli/call-simulator';
import { fakeSid } from '../cli/sids';
import type { Params } from '../cli/webhook-client';
import type { CallResource, CallStatus } from '../twilio/types';
import { sendSigned, signedTarget } from './callbacks';
import type { SandboxLog } from './log';
import { callOutcome } from './outcomes';
import { RECORD_VERB_SECONDS, recordingPath } from './recordings';
import { allValues, firstValue, rfc2822, type FormPairs } from './resources';
import type { Runtime } from './runtime';
import type { SandboxState } from './state';

/** What the person called does at each `<Gather>` and `<Dial>`. */
export interface CallScript {
  digits: readonly string[];
  speech: readonly string[];
  dialStatus: DialStatus;
}

export interface CallLifecycleDeps {
  state: SandboxState;
  runtime: Runtime;
  log: SandboxLog;
  authToken: string | undefined;
  baseUrl: string;
  now(): Date;
  stepMs: number;
  /** Requests a walk may make before it is cut (a TwiML loop would never end). */
  maxSteps: number;
}

type CallEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface CallPlan {
  direction: 'inbound' | 'outbound-api';
  url: string | null;
  method: 'GET' | 'POST';
  twiml: string | null;
  statusCallback: string | null;
  callbackMethod: 'GET' | 'POST';
  events: ReadonlySet<CallEvent>;
  /** CreateCall's Record=true: the whole call is recorded, and the final callback says where. */
  record: boolean;
  script: CallScript;
}

/** One call being run: its plan and what its callbacks need to carry. */
interface Running {
  plan: CallPlan;
  sequence: number;
  answeredAt: number | null;
  finished: boolean;
}

export const SCRIPT_HEADERS = {
  digits: 'x-sandbox-digits',
  speech: 'x-sandbox-speech',
  dialStatus: 'x-sandbox-dial-status',
} as const;

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The script for one call: X-Sandbox-Digits / -Speech (comma lists) / -Dial-Status, else the defaults. */
export function scriptFrom(headers: http.IncomingHttpHeaders, defaults: CallScript): CallScript {
  const digits = header(headers, SCRIPT_HEADERS.digits);
  const speech = header(headers, SCRIPT_HEADERS.speech);
  const dialStatus = header(headers, SCRIPT_HEADERS.dialStatus);
  return {
    digits: digits === undefined ? defaults.digits : digits.split(','),
    speech: speech === undefined ? defaults.speech : speech.split(','),
    dialStatus: DIAL_STATUSES.find((status) => status === dialStatus) ?? defaults.dialStatus,
  };
}

const method = (value: string | null): 'GET' | 'POST' => (value === 'GET' ? 'GET' : 'POST');

/** What a CreateCall asked for. Twilio ignores Twiml when Url is given too. */
export function planFromCreate(form: FormPairs, script: CallScript): CallPlan {
  const url = firstValue(form, 'Url');
  const statusCallback = firstValue(form, 'StatusCallback');
  const named = allValues(form, 'StatusCallbackEvent') as CallEvent[];
  return {
    direction: 'outbound-api',
    url,
    method: method(firstValue(form, 'Method')),
    twiml: url === null ? firstValue(form, 'Twiml') : null,
    statusCallback,
    callbackMethod: method(firstValue(form, 'StatusCallbackMethod')),
    events: new Set(named.length > 0 ? named : ['completed']),
    record: firstValue(form, 'Record')?.toLowerCase() === 'true',
    script,
  };
}

const FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** Runs calls and remembers the ones under way, so a hang-up through the API ends them. */
export class CallRunner {
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: CallLifecycleDeps) {}

  start(call: CallResource, plan: CallPlan): void {
    const entry: Running = { plan, sequence: 0, answeredAt: null, finished: false };
    this.running.set(call.sid, entry);
    this.deps.runtime.spawn(async () => {
      try {
        await this.run(call.sid, entry);
      } finally {
        this.running.delete(call.sid);
      }
    });
  }

  /** Runs an inbound call to its end; resolves with the walk's transcript. */
  async runInbound(call: CallResource, plan: CallPlan): Promise<string[]> {
    const entry: Running = { plan, sequence: 0, answeredAt: null, finished: false };
    this.running.set(call.sid, entry);
    try {
      return await this.answer(call.sid, entry);
    } finally {
      this.running.delete(call.sid);
    }
  }

  /** The API ended the call (Status=completed/canceled): its final callback, and the run stops. */
  ended(call: CallResource): void {
    const entry = this.running.get(call.sid);
    if (entry === undefined || entry.finished) return;
    entry.finished = true;
    const duration = this.duration(entry);
    const updated: CallResource = { ...call, duration: String(duration) };
    this.deps.state.calls.set(call.sid, updated);
    this.deps.log({ event: 'status', sid: call.sid, status: call.status });
    this.deps.runtime.spawn(() => this.callback(updated, entry, 'completed', duration));
  }

  private async run(sid: string, entry: Running): Promise<void> {
    const { deps } = this;
    if (!(await this.step(sid, entry, 'initiated', null))) return;
    if (!(await this.step(sid, entry, 'ringing', 'ringing'))) return;
    const call = deps.state.calls.get(sid);
    if (call === undefined) return;
    const outcome = callOutcome(call.to);
    if (outcome !== 'answered') {
      if (!(await deps.runtime.pause(deps.stepMs))) return;
      await this.finish(sid, entry, outcome);
      return;
    }
    await this.answer(sid, entry);
  }

  /** Answers, walks the TwiML, and completes the call; the transcript of the walk. */
  private async answer(sid: string, entry: Running): Promise<string[]> {
    const { deps } = this;
    if (!(await this.step(sid, entry, 'answered', 'in-progress'))) return [];
    const call = deps.state.calls.get(sid);
    if (call === undefined) return [];
    const { plan } = entry;
    const url = plan.url ?? `${deps.baseUrl}/sandbox/inline-twiml`;
    const recordingUrl = (recordingSid: string) => this.recording(call, recordingSid, RECORD_VERB_SECONDS);
    const result = await simulateCall({
      url,
      target: signedTarget(deps.authToken, url),
      call: { callSid: sid, accountSid: call.account_sid ?? '', from: call.from ?? '', to: call.to ?? '' },
      digits: plan.script.digits,
      speech: plan.script.speech,
      dialStatus: plan.script.dialStatus,
      maxSteps: deps.maxSteps,
      twilio: {
        direction: plan.direction,
        method: plan.method,
        ...(plan.twiml !== null && { twiml: plan.twiml }),
        recordingUrl,
      },
    });
    if (plan.twiml !== null) deps.log({ event: 'twiml', sid, method: 'inline', url: '', answer: null, heard: [] });
    for (const step of result.steps) {
      deps.log({ event: 'twiml', sid, method: step.request.method, url: step.request.url, answer: step.status, heard: step.heard });
    }
    deps.log({ event: 'call-ended', sid, outcome: result.outcome, transcript: result.transcript, ...(result.error !== undefined && { error: result.error }) });
    if (await deps.runtime.pause(deps.stepMs)) await this.finish(sid, entry, 'completed');
    return result.transcript;
  }

  /** Registers a recording of the call, served as audio; its URL. */
  private recording(call: CallResource, recordingSid: string, seconds: number): string {
    const url = this.deps.baseUrl + recordingPath(call.account_sid ?? '', recordingSid);
    this.deps.state.recordings.set(recordingSid, { sid: recordingSid, callSid: call.sid, seconds });
    this.deps.log({ event: 'recording', sid: recordingSid, callSid: call.sid, url });
    return url;
  }

  /** Moves the call to `status` (null: the resource keeps its status) and sends the event's callback. */
  private async step(sid: string, entry: Running, event: CallEvent, status: CallStatus | null): Promise<boolean> {
    if (!(await this.deps.runtime.pause(this.deps.stepMs))) return false;
    const current = this.deps.state.calls.get(sid);
    if (current === undefined || entry.finished || FINAL.has(current.status)) return false;
    let call = current;
    if (status !== null) {
      const at = this.deps.now();
      call = { ...current, status, date_updated: rfc2822(at), ...(status === 'in-progress' && { start_time: rfc2822(at) }) };
      if (status === 'in-progress') entry.answeredAt = at.getTime();
      this.deps.state.calls.set(sid, call);
      this.deps.log({ event: 'status', sid, status });
    }
    await this.callback(call, entry, event, null);
    return true;
  }

  private async finish(sid: string, entry: Running, status: CallStatus): Promise<void> {
    const current = this.deps.state.calls.get(sid);
    if (current === undefined || entry.finished || FINAL.has(current.status)) return;
    entry.finished = true;
    const at = rfc2822(this.deps.now());
    const duration = this.duration(entry);
    const call: CallResource = { ...current, status, date_updated: at, end_time: at, duration: String(duration) };
    this.deps.state.calls.set(sid, call);
    this.deps.log({ event: 'status', sid, status });
    await this.callback(call, entry, 'completed', duration);
  }

  /** Whole seconds since the answer, at least 1 for an answered call; 0 for one never answered. */
  private duration(entry: Running): number {
    if (entry.answeredAt === null) return 0;
    return Math.max(1, Math.round((this.deps.now().getTime() - entry.answeredAt) / 1000));
  }

  private async callback(call: CallResource, entry: Running, event: CallEvent, duration: number | null): Promise<void> {
    const { plan } = entry;
    if (plan.statusCallback === null || !entry.plan.events.has(event)) return;
    const callStatus = event === 'initiated' ? 'initiated' : event === 'answered' ? 'in-progress' : call.status;
    const params: Params = [
      ['CallSid', call.sid],
      ['AccountSid', call.account_sid ?? ''],
      ['From', call.from ?? ''],
      ['To', call.to ?? ''],
      ['Caller', call.from ?? ''],
      ['Called', call.to ?? ''],
      ['CallStatus', callStatus],
      ['Direction', plan.direction],
      ['ApiVersion', '2010-04-01'],
      ['Timestamp', rfc2822(this.deps.now())],
      ['CallbackSource', 'call-progress-events'],
      ['SequenceNumber', String(entry.sequence++)],
    ];
    if (duration !== null) params.push(['CallDuration', String(duration)]);
    if (duration !== null && duration > 0 && plan.record) {
      const recordingSid = fakeSid('RE');
      params.push(['RecordingUrl', this.recording(call, recordingSid, duration)], ['RecordingSid', recordingSid], ['RecordingDuration', String(duration)]);
    }
    const result = await sendSigned(this.deps.authToken, plan.callbackMethod, plan.statusCallback, params);
    this.deps.log({
      event: 'callback',
      sid: call.sid,
      status: callStatus,
      method: plan.callbackMethod,
      url: plan.statusCallback,
      answer: result.exchange?.status ?? null,
      ...(result.error !== undefined && { error: result.error }),
    });
  }
}
