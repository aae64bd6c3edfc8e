import type { DialNode, FlowNode, MenuNode, Settings } from '../settings';
import { VoiceResponse } from '../twiml';
import { isOpen } from './business-hours';
import { appendSpeech } from './speech';

export interface GatherInput {
  digits: string | undefined;
  speech: string | undefined;
}

/** Dial outcomes that mean nobody took the call, so the fallback applies. */
const UNANSWERED = new Set(['busy', 'no-answer', 'failed', 'canceled']);
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_INVALID = { say: "Sorry, I didn't get that." };
const GOODBYE = { say: 'Sorry, we could not help you this time. Goodbye.' };
const NOBODY = { say: 'Sorry, nobody is available to take your call. Goodbye.' };
const VOICEMAIL_PROMPT = { say: 'Please leave a message after the beep. Press the pound key when you are finished.' };
const VOICEMAIL_THANKS = { say: 'Thank you for your message. Goodbye.' };

/**
 * The configured voice flow. Every step has its own URL under `/voice/node/<name>/...`, so that
 * `<Gather>`, `<Dial>` and `<Record>` come back to the right place. A step's TwiML depends only
 * on the settings, so each document is rendered once and reused for every call.
 */
export class VoiceFlow {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly settings: Settings['voice'],
    /** PUBLIC_BASE_URL: absolute URLs in TwiML when set, root-relative otherwise. */
    private readonly baseUrl: string | undefined,
  ) {}

  has(name: string): boolean {
    return Object.hasOwn(this.settings.nodes, name);
  }

  /** The answer to a new call. */
  start(now: Date): string {
    return this.step(this.settings.start, now);
  }

  /** The TwiML of a node, from its first prompt. */
  step(name: string, now: Date): string {
    const target = this.resolveHours(name, now);
    return this.render(`${target}|0`, () => this.build(target, 0, false));
  }

  /** A `<Gather>` result: the chosen option, or the prompt again, or the menu's default. */
  gather(name: string, attempt: number, input: GatherInput, now: Date): string {
    const menu = this.node(name);
    if (menu?.type !== 'menu') return this.start(now);
    const choice = chooseOption(menu, input);
    if (choice !== undefined) return this.step(choice, now);
    const retries = menu.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (attempt < retries) {
      const next = attempt + 1;
      return this.render(`${name}|${next}|retry`, () => this.build(name, next, true));
    }
    if (menu.default !== undefined) return this.step(menu.default as string, now);
    return this.render(`${name}|goodbye`, () => {
      const twiml = new VoiceResponse();
      appendSpeech(twiml, menu.invalid ?? DEFAULT_INVALID);
      appendSpeech(twiml, GOODBYE);
      twiml.hangup();
      return twiml.toString();
    });
  }

  /** A `<Dial>` result: the call was taken (hang up) or not (the fallback). */
  dialResult(name: string, status: string | undefined, now: Date): string {
    const node = this.node(name);
    if (node === undefined || !isDialNode(node)) return this.start(now);
    if (status === undefined || !UNANSWERED.has(status)) {
      return this.render('|hangup', () => new VoiceResponse().hangup().toString());
    }
    if (node.fallback !== undefined) return this.step(node.fallback as string, now);
    return this.render(`${name}|nobody`, () => {
      const twiml = new VoiceResponse();
      appendSpeech(twiml, NOBODY);
      twiml.hangup();
      return twiml.toString();
    });
  }

  /** After `<Record>` delivered a voicemail. */
  recorded(name: string): string {
    const node = this.node(name);
    return this.render(`${name}|thanks`, () => {
      const twiml = new VoiceResponse();
      appendSpeech(twiml, node?.type === 'voicemail' ? (node.thanks ?? VOICEMAIL_THANKS) : VOICEMAIL_THANKS);
      twiml.hangup();
      return twiml.toString();
    });
  }

  url(name: string, step?: 'gather' | 'dial-result' | 'recorded', query = ''): string {
    return `${this.baseUrl ?? ''}/voice/node/${encodeURIComponent(name)}${step ? `/${step}` : ''}${query}`;
  }

  private node(name: string): FlowNode | undefined {
    return this.has(name) ? this.settings.nodes[name] : undefined;
  }

  /** Business-hours nodes choose a branch now; settings have been checked to be free of loops among them. */
  private resolveHours(name: string, now: Date): string {
    let current = name;
    for (let node = this.node(current); node?.type === 'hours'; node = this.node(current)) {
      current = (isOpen(node, now) ? node.open : node.closed) as string;
    }
    return current;
  }

  private render(key: string, build: () => string): string {
    let xml = this.cache.get(key);
    if (xml === undefined) {
      xml = build();
      this.cache.set(key, xml);
    }
    return xml;
  }

  private build(name: string, attempt: number, retry: boolean): string {
    const node = this.node(name);
    const twiml = new VoiceResponse();
    if (node === undefined) return twiml.toString();
    switch (node.type) {
      case 'menu': {
        if (retry) appendSpeech(twiml, node.invalid ?? DEFAULT_INVALID);
        else appendSpeech(twiml, node.greeting);
        const action = this.url(name, 'gather', `?attempt=${attempt}`);
        const phrases = Object.keys(node.speech ?? {});
        const gather = twiml.gather({
          action,
          method: 'POST',
          input: phrases.length > 0 ? ['dtmf', 'speech'] : ['dtmf'],
          numDigits: node.numDigits ?? defaultNumDigits(node),
          timeout: node.timeout ?? 5,
          hints: phrases.length > 0 ? phrases.join(', ') : undefined,
          language: phrases.length > 0 ? node.speechLanguage : undefined,
        });
        appendSpeech(gather, node.prompt);
        // No input: Twilio goes on to the next verb, which counts it as a failed attempt.
        twiml.redirect({ method: 'POST' }, action);
        break;
      }
      case 'forward':
      case 'ring':
      case 'client': {
        appendSpeech(twiml, node.message);
        const dial = twiml.dial({
          action: this.url(name, 'dial-result'),
          method: 'POST',
          timeout: node.timeout ?? 20,
          callerId: node.callerId,
          record: node.record ? 'record-from-answer' : undefined,
        });
        for (const to of dialTargets(node)) {
          if (to.startsWith('client:')) dial.client(to.slice('client:'.length));
          else if (to.startsWith('sip:')) dial.sip(to);
          else dial.number(to);
        }
        break;
      }
      case 'voicemail': {
        appendSpeech(twiml, node.prompt ?? VOICEMAIL_PROMPT);
        twiml.record({
          action: this.url(name, 'recorded'),
          method: 'POST',
          maxLength: node.maxLength ?? 120,
          finishOnKey: node.finishOnKey ?? '#',
          playBeep: true,
          transcribe: node.transcribe ? true : undefined,
          transcribeCallback: node.transcribe ? `${this.baseUrl ?? ''}/status/transcription?voicemail=flow` : undefined,
          recordingStatusCallback: `${this.baseUrl ?? ''}/status/recording`,
        });
        // Reached only when nothing was recorded.
        twiml.hangup();
        break;
      }
      case 'say':
        appendSpeech(twiml, node.message);
        if (node.next !== undefined) twiml.redirect({ method: 'POST' }, this.url(node.next as string));
        break;
      case 'conference': {
        appendSpeech(twiml, node.message);
        twiml.dial().conference(
          {
            startConferenceOnEnter: node.startOnEnter,
            endConferenceOnExit: node.endOnExit,
            muted: node.muted,
            waitUrl: node.waitUrl,
            maxParticipants: node.maxParticipants,
            record: node.record ? 'record-from-start' : undefined,
          },
          node.room,
        );
        break;
      }
      case 'redirect':
        twiml.redirect({ method: node.method ?? 'POST' }, node.url);
        break;
      case 'hangup':
        appendSpeech(twiml, node.message);
        twiml.hangup();
        break;
      case 'hours':
        // Resolved before rendering; kept for exhaustiveness.
        break;
    }
    return twiml.toString();
  }
}

function isDialNode(node: FlowNode): node is DialNode {
  return node.type === 'forward' || node.type === 'ring' || node.type === 'client';
}

/** Every address a dial node rings, as `+number`, `client:<identity>` or `sip:<address>`. */
function dialTargets(node: DialNode): readonly string[] {
  switch (node.type) {
    case 'forward':
      return [node.to];
    case 'ring':
      return node.numbers;
    case 'client':
      return node.identities.map((identity) => `client:${identity}`);
  }
}

/** All options the same length → Gather can end as soon as that many digits are in. */
function defaultNumDigits(menu: MenuNode): number | undefined {
  const lengths = new Set(Object.keys(menu.options).map((key) => key.length));
  return lengths.size === 1 ? [...lengths][0] : undefined;
}

function chooseOption(menu: MenuNode, input: GatherInput): string | undefined {
  const digits = input.digits?.trim();
  if (digits && Object.hasOwn(menu.options, digits)) return menu.options[digits] as string;
  const heard = input.speech?.toLowerCase();
  if (heard) {
    for (const [phrase, key] of Object.entries(menu.speech ?? {})) {
      if (heard.includes(phrase.toLowerCase())) return menu.options[key] as string;
    }
  }
  return undefined;
}
