import { CliError } from './errors';
import { parseTwiml, TwimlParseError, type TwimlElement } from './twiml-document';
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
} from './webhook-client';

export interface SmsSimulation {
  url: string;
  target: WebhookTarget;
  message: { messageSid: string; accountSid: string; from: string; to: string; body: string; mediaUrls: readonly string[] };
  maxSteps: number;
}

export interface SimulatedReply {
  /** Set when the message goes somewhere other than back to the sender (forwarding). */
  to?: string;
  from?: string;
  body: string;
  media: string[];
}

export interface SmsSimulationResult {
  steps: Array<{ request: SimulatedRequest; status: number; twiml: string; replies: SimulatedReply[] }>;
  outcome: 'end' | 'max-steps' | 'error';
  error?: string;
  replies: SimulatedReply[];
  transcript: string[];
}

/** Delivers one inbound message like Twilio and reads the `<Message>` replies, following `<Redirect>`. */
export async function simulateSms(sim: SmsSimulation): Promise<SmsSimulationResult> {
  const steps: SmsSimulationResult['steps'] = [];
  const replies: SimulatedReply[] = [];
  const { message } = sim;
  const transcript = [
    `Message ${message.messageSid} from ${message.from} to ${message.to}: "${message.body}"`,
    signingNote(sim.target),
    ...simulatedTimeNote(sim.target),
  ];
  const finish = (outcome: SmsSimulationResult['outcome'], error?: string): SmsSimulationResult => {
    if (replies.length === 0 && outcome === 'end') transcript.push('  (no reply)');
    transcript.push(error === undefined ? `Outcome: ${outcome}` : `Outcome: ${outcome}: ${error}`);
    return { steps, outcome, ...(error !== undefined && { error }), replies, transcript };
  };

  const params: Params = [
    ['MessageSid', message.messageSid],
    ['SmsSid', message.messageSid],
    ['SmsMessageSid', message.messageSid],
    ['AccountSid', message.accountSid],
    ['From', message.from],
    ['To', message.to],
    ['Body', message.body],
    ['NumMedia', String(message.mediaUrls.length)],
    ...message.mediaUrls.map((url, i): [string, string] => [`MediaUrl${i}`, url]),
    ['NumSegments', '1'],
    ['SmsStatus', 'received'],
    ['ApiVersion', '2010-04-01'],
  ];
  let next: { method: 'GET' | 'POST'; url: string } | undefined = {
    method: 'POST',
    url: publicUrlFor(sim.target, new URL(sim.url).href),
  };
  try {
    while (next !== undefined) {
      if (steps.length >= sim.maxSteps) return finish('max-steps', `stopped after ${sim.maxSteps} requests; the TwiML may loop`);
      transcript.push(`→ ${next.method} ${sendUrlFor(sim.target, next.url)}`);
      const exchange = await sendWebhook(sim.target, { ...next, params });
      const step = { request: requestOf(exchange), status: exchange.status, twiml: exchange.body, replies: [] as SimulatedReply[] };
      steps.push(step);
      if (exchange.status < 200 || exchange.status > 299) throw new CliError(refusal(exchange));
      let document: TwimlElement;
      try {
        document = parseTwiml(exchange.body);
      } catch (err) {
        if (err instanceof TwimlParseError) throw new CliError(`${exchange.method} ${exchange.url}: ${err.message}`);
        throw err;
      }
      next = undefined;
      for (const verb of document.children) {
        if (verb.name === 'Message') {
          const reply = replyOf(verb);
          step.replies.push(reply);
          replies.push(reply);
          transcript.push(`  ${reply.to === undefined ? 'Reply' : `Message to ${reply.to}`}: ${reply.body}`);
          for (const url of reply.media) transcript.push(`    Media: ${url}`);
        } else if (verb.name === 'Redirect') {
          if (verb.text === '') throw new CliError('<Redirect> has no URL');
          next = { method: method(verb.attributes.method), url: resolve(verb.text, exchange.publicUrl) };
          transcript.push(`  Redirect: ${next.url}`);
          break;
        } else {
          transcript.push(`  <${verb.name}> is not simulated; skipped`);
        }
      }
    }
  } catch (err) {
    if (err instanceof CliError) return finish('error', err.message);
    throw err;
  }
  return finish('end');
}

function replyOf(message: TwimlElement): SimulatedReply {
  const bodyElement = message.children.find((child) => child.name === 'Body');
  const reply: SimulatedReply = {
    body: bodyElement?.text ?? message.ownText,
    media: message.children.filter((child) => child.name === 'Media').map((child) => child.text),
  };
  if (message.attributes.to !== undefined) reply.to = message.attributes.to;
  if (message.attributes.from !== undefined) reply.from = message.attributes.from;
  return reply;
}
