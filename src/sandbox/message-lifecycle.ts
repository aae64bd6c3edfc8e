// A message's life after the create: queued → sending → sent → delivered (or undelivered /
// failed with an ErrorCode for the sandbox's failing numbers), one step per pause, with a
// signed status callback for each status when the create named a StatusCallback.
import type { MessageResource, MessageStatus } from '../twilio/types';
import type { Params } from '../cli/webhook-client';
import { sendSigned } from './callbacks';
import type { SandboxLog } from './log';
import { messageOutcome } from './outcomes';
import { rfc2822 } from './resources';
import type { Runtime } from './runtime';
import type { SandboxState } from './state';

export interface MessageLifecycleDeps {
  state: SandboxState;
  runtime: Runtime;
  log: SandboxLog;
  authToken: string | undefined;
  now(): Date;
  stepMs: number;
}

interface Step {
  status: MessageStatus;
  errorCode?: number;
}

/** The statuses a message goes through after its create answer, the first being its own. */
export function messageSteps(message: Pick<MessageResource, 'to' | 'status'>): Step[] {
  const outcome = messageOutcome(message.to);
  const start: Step[] = message.status === 'accepted' ? [{ status: 'accepted' }, { status: 'queued' }] : [{ status: 'queued' }];
  if (outcome.status === 'failed') return [...start, { status: 'failed', errorCode: outcome.errorCode }];
  const sent: Step[] = [...start, { status: 'sending' }, { status: 'sent' }];
  if (outcome.status === 'undelivered') return [...sent, { status: 'undelivered', errorCode: outcome.errorCode }];
  return [...sent, { status: 'delivered' }];
}

function callbackParams(message: MessageResource, step: Step): Params {
  const params: Params = [
    ['MessageSid', message.sid],
    ['SmsSid', message.sid],
    ['AccountSid', message.account_sid ?? ''],
    ['From', message.from ?? ''],
    ['To', message.to ?? ''],
    ['MessageStatus', step.status],
    ['SmsStatus', step.status],
    ['ApiVersion', '2010-04-01'],
  ];
  if (message.messaging_service_sid !== null) params.push(['MessagingServiceSid', message.messaging_service_sid]);
  if (step.errorCode !== undefined) params.push(['ErrorCode', String(step.errorCode)]);
  return params;
}

/** Runs the message's steps; stops when the sandbox closes or the message was deleted or canceled. */
export async function deliverMessage(deps: MessageLifecycleDeps, created: MessageResource, statusCallback: string | null): Promise<void> {
  // Scheduled messages wait for a SendAt the sandbox does not keep; they stay scheduled until canceled.
  if (created.status === 'scheduled') return;
  const steps = messageSteps(created);
  for (const [index, step] of steps.entries()) {
    if (!(await deps.runtime.pause(deps.stepMs))) return;
    const current = deps.state.messages.get(created.sid);
    if (current === undefined || current.status === 'canceled') return;
    let message = current;
    if (index > 0) {
      const at = rfc2822(deps.now());
      message = {
        ...current,
        status: step.status,
        date_updated: at,
        ...(step.status === 'sent' && { date_sent: at }),
        ...(step.errorCode !== undefined && { error_code: step.errorCode, error_message: null }),
      };
      deps.state.messages.set(message.sid, message);
      deps.log({ event: 'status', sid: message.sid, status: step.status, ...(step.errorCode !== undefined && { errorCode: step.errorCode }) });
    }
    if (statusCallback !== null) {
      const result = await sendSigned(deps.authToken, 'POST', statusCallback, callbackParams(message, step));
      deps.log({
        event: 'callback',
        sid: message.sid,
        status: step.status,
        method: 'POST',
        url: statusCallback,
        answer: result.exchange?.status ?? null,
        ...(result.error !== undefined && { error: result.error }),
      });
    }
  }
}
