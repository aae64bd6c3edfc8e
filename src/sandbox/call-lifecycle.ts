// A call's life after the create, as Twilio runs it: initiated → ringing → answered
// (in-progress) → its TwiML walked by the call simulator → completed with a CallDuration; or
// busy / no-answer / failed for the sandbox's failing numbers. Status callbacks are signed and
// honour StatusCallbackEvent (only `completed` when none is named). A TwiML request that fails
// goes to the FallbackUrl, else ends the call as Twilio's application error does; answering
// machine detection and recording status callbacks happen where Twilio makes them.
import { simulateCall, type TwimlFailure, type VerbRecording } from '../cli/call-simulator';
import { fakeSid } from '../cli/sids';
import { TWIML_ERROR_NAMES } from '../cli/twiml-failure';
import type { Params } from '../cli/webhook-client';
import type { CallResource, CallStatus } from '../twilio/types';
import { amdParams, reportedAnsweredBy, type AmdPlan, type AnsweredBy } from './amd';
import { type CallEvent, type CallPlan, updatedFallback } from './call-plan';
import { sendSigned, signedTarget, CALLBACK_TIMEOUT_MS } from './callbacks';
import type { SandboxLog } from './log';
import { callOutcome } from './outcomes';
import { recordingCallbackFromVerb, sendRecordingCallback, type RecordingFacts } from './recording-callbacks';
import { RECORD_VERB_SECONDS, recordingPath } from './recordings';
import { rfc2822, type FormPairs } from './resources';
import type { Runtime } from './runtime';
import type { SandboxState } from './state';

export type { CallPlan } from './call-plan';
export type { CallScript } from './call-script';

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
  /** How long a TwiML request may take (Twilio: 15 s); tests shorten it to see a timeout. */
  webhookTimeoutMs?: number;
}

/** A Record=true recording: started at the answer, served once the call ends. */
interface CallRecording {
  sid: string;
  startTime: string;
  url: string | null;
  seconds: number;
}

/** One call being run: its plan and what its callbacks need to carry. */
interface Running {
  plan: CallPlan;
  sequence: number;
  answeredAt: number | null;
  finished: boolean;
  /** The FallbackUrl now: the create's, or an UpdateCall's. */
  fallback: CallPlan['fallback'];
  recording: CallRecording | null;
}

const FINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** Runs calls and remembers the ones under way, so a hang-up or an update through the API reaches them. */
export class CallRunner {
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: CallLifecycleDeps) {}

  start(call: CallResource, plan: CallPlan): void {
    const entry = this.enter(call, plan);
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
    const entry = this.enter(call, plan);
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
    this.closeRecording(updated, entry, duration);
    this.deps.runtime.spawn(async () => {
      await this.callback(updated, entry, 'completed', duration);
      await this.recordingReady(updated, entry);
    });
  }

  /** An UpdateCall that did not end the call: a new FallbackUrl/FallbackMethod applies to its next failures. */
  updated(call: CallResource, form: FormPairs): void {
    const entry = this.running.get(call.sid);
    if (entry !== undefined) entry.fallback = updatedFallback(entry.fallback, form);
  }

  private enter(call: CallResource, plan: CallPlan): Running {
    const entry: Running = { plan, sequence: 0, answeredAt: null, finished: false, fallback: plan.fallback, recording: null };
    this.running.set(call.sid, entry);
    for (const warning of plan.warnings) this.deps.log({ event: 'debugger', sid: call.sid, level: 'warning', ...warning });
    return entry;
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
    if (plan.record) await this.startRecording(call, entry);
    const amd = plan.amd;
    const answeredBy = amd === null ? null : reportedAnsweredBy(amd.mode, plan.script.answeredBy ?? 'human');
    // Synchronous AMD decides before the first TwiML request, which carries the answer.
    if (amd !== null && answeredBy !== null && !amd.async) this.detected(sid, amd, answeredBy);
    const url = plan.url ?? `${deps.baseUrl}/sandbox/inline-twiml`;
    const result = await simulateCall({
      url,
      target: signedTarget(deps.authToken, url, deps.webhookTimeoutMs ?? CALLBACK_TIMEOUT_MS),
      call: { callSid: sid, accountSid: call.account_sid ?? '', from: call.from ?? '', to: call.to ?? '' },
      digits: plan.script.digits,
      speech: plan.script.speech,
      dialStatus: plan.script.dialStatus,
      ...(plan.script.recording !== undefined && { recording: plan.script.recording }),
      maxSteps: deps.maxSteps,
      twilio: {
        direction: plan.direction,
        method: plan.method,
        ...(plan.twiml !== null && { twiml: plan.twiml }),
        recordingUrl: (recordingSid) => this.recording(call, recordingSid, RECORD_VERB_SECONDS),
        recorded: (recording) => this.verbRecording(call, recording),
        ...(amd !== null && answeredBy !== null && !amd.async && { firstParams: amdParams(amd, answeredBy) }),
        ...(amd !== null && answeredBy !== null && amd.async && { connected: () => this.asyncDetection(sid, amd, answeredBy) }),
        fallback: () => entry.fallback,
        failed: (failure, next) => this.failed(sid, failure, next),
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

  /** What Twilio's debugger logs for a failed TwiML request, and what the call does next. */
  private failed(sid: string, failure: TwimlFailure, next: 'fallback' | 'application-error'): void {
    const then = next === 'fallback' ? 'requesting the FallbackUrl' : 'application error: the call ends';
    const message = `${TWIML_ERROR_NAMES[failure.code]}: ${failure.message}; ${then}`;
    this.deps.log({ event: 'debugger', sid, level: 'error', code: failure.code, message });
  }

  /** AMD has decided: the Call resource's answered_by, and the log. */
  private detected(sid: string, amd: AmdPlan, answeredBy: AnsweredBy): void {
    const current = this.deps.state.calls.get(sid);
    if (current !== undefined) this.deps.state.calls.set(sid, { ...current, answered_by: answeredBy });
    this.deps.log({ event: 'answered-by', sid, answeredBy, mode: amd.mode, async: amd.async });
  }

  /** AsyncAmd: the answer reaches AsyncAmdStatusCallback once the call's TwiML is running. */
  private async asyncDetection(sid: string, amd: AmdPlan, answeredBy: AnsweredBy): Promise<void> {
    this.detected(sid, amd, answeredBy);
    if (amd.callback === null) {
      const message = 'No AMD status callback URL provided: AnsweredBy is on the Call resource only';
      this.deps.log({ event: 'debugger', sid, level: 'warning', code: 21262, message });
      return;
    }
    const call = this.deps.state.calls.get(sid);
    const params: Params = [['AccountSid', call?.account_sid ?? ''], ['CallSid', sid], ...amdParams(amd, answeredBy)];
    const result = await sendSigned(this.deps.authToken, amd.callbackMethod, amd.callback, params);
    this.deps.log({
      event: 'amd-callback',
      sid,
      answeredBy,
      method: amd.callbackMethod,
      url: amd.callback,
      answer: result.exchange?.status ?? null,
      ...(result.error !== undefined && { error: result.error }),
    });
  }

  /** A `<Record>`: its in-progress callback before the walk goes on, the completed (or absent) one once the audio is "processed". */
  private async verbRecording(call: CallResource, recording: VerbRecording): Promise<void> {
    const { deps } = this;
    const { plan, warnings } = recordingCallbackFromVerb(recording.attributes, recording.docUrl);
    for (const warning of warnings) deps.log({ event: 'debugger', sid: call.sid, level: 'warning', ...warning });
    if (plan === null) return;
    const facts: RecordingFacts = {
      accountSid: call.account_sid ?? '',
      callSid: call.sid,
      recordingSid: recording.recordingSid,
      url: recording.url,
      seconds: recording.seconds,
      channels: 1,
      source: 'RecordVerb',
      startTime: rfc2822(deps.now()),
    };
    await sendRecordingCallback(deps, plan, facts, 'in-progress');
    deps.runtime.spawn(async () => {
      if (await deps.runtime.pause(deps.stepMs)) await sendRecordingCallback(deps, plan, facts, recording.url === null ? 'absent' : 'completed');
    });
  }

  /** Record=true: the recording starts with the answer. */
  private async startRecording(call: CallResource, entry: Running): Promise<void> {
    entry.recording = { sid: fakeSid('RE'), startTime: rfc2822(this.deps.now()), url: null, seconds: -1 };
    const plan = entry.plan.recordingCallback;
    if (plan !== null) await sendRecordingCallback(this.deps, plan, this.callRecordingFacts(call, entry.recording, entry), 'in-progress');
  }

  /** The call ended: its recording lasts as long as it did, and is served from now on. */
  private closeRecording(call: CallResource, entry: Running, duration: number): void {
    const recording = entry.recording;
    if (recording === null || recording.url !== null || duration <= 0) return;
    recording.url = this.recording(call, recording.sid, duration);
    recording.seconds = duration;
  }

  /** The Record=true recording's completed callback, after the call's own. */
  private async recordingReady(call: CallResource, entry: Running): Promise<void> {
    const plan = entry.plan.recordingCallback;
    if (plan === null || entry.recording?.url == null) return;
    await sendRecordingCallback(this.deps, plan, this.callRecordingFacts(call, entry.recording, entry), 'completed');
  }

  private callRecordingFacts(call: CallResource, recording: CallRecording, entry: Running): RecordingFacts {
    return {
      accountSid: call.account_sid ?? '',
      callSid: call.sid,
      recordingSid: recording.sid,
      url: recording.url ?? this.deps.baseUrl + recordingPath(call.account_sid ?? '', recording.sid),
      seconds: recording.seconds,
      channels: entry.plan.recordingChannels,
      source: 'OutboundAPI',
      startTime: recording.startTime,
    };
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
    this.closeRecording(call, entry, duration);
    await this.callback(call, entry, 'completed', duration);
    await this.recordingReady(call, entry);
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
    const recording = entry.recording;
    if (duration !== null && recording?.url != null) {
      params.push(['RecordingUrl', recording.url], ['RecordingSid', recording.sid], ['RecordingDuration', String(recording.seconds)]);
    }
    // The final callback reports what AMD decided, as the Call resource's answered_by does.
    if (event === 'completed' && call.answered_by !== null) params.push(['AnsweredBy', call.answered_by]);
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
