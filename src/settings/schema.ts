import { z } from 'zod';
import { CLIENT_IDENTITY } from '../client/identity';
import { GatherLanguage, SayLanguage, SayVoice } from '../twiml';
import type {
  ClientNode,
  ConferenceNode,
  FlowNode,
  ForwardNode,
  HangupNode,
  HoursNode,
  MenuNode,
  NodeRef,
  RedirectNode,
  RingNode,
  SayNode,
  SettingsFile,
  Speech,
  VoicemailNode,
} from './types';

const E164 = /^\+[1-9]\d{1,14}$/;
const phone = z.string().regex(E164, 'must be an E.164 number such as +15551234567');
/** Where a call can be sent: a phone number, a browser client or a SIP address. */
const endpoint = z
  .string()
  .regex(/^(\+[1-9]\d{1,14}|client:[\w.@-]{1,121}|sip:\S+@\S+)$/, 'must be an E.164 number, client:<identity> or sip:<address>');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Something the caller hears: spoken text or an audio file. */
export const speechSchema: z.ZodType<Speech> = z.union(
  [
    z.strictObject({
      say: text(4096),
      voice: z.enum(SayVoice, { error: 'is not a Twilio <Say> voice' }).optional(),
      language: z.enum(SayLanguage, { error: 'is not a Twilio <Say> language' }).optional(),
    }),
    z.strictObject({ play: httpUrl }),
  ],
  { error: 'must be { "say": "text" } (with optional voice and language) or { "play": "https://..." }' },
);

const nodeName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node names use letters, digits, "-" and "_" (at most 64)');
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA time zone such as America/New_York');

/**
 * A flow node, or a reference to one by name. Inline nodes get a name from their place
 * (`main.options.1`), so every step still has its own URL.
 */
const nodeRef: z.ZodType<NodeRef> = z.lazy(() =>
  z.unknown().transform((value, ctx): NodeRef => {
    if (typeof value === 'string') return forward(nodeName.safeParse(value), ctx);
    return forward(flowNode.safeParse(value), ctx);
  }),
);

const menuNode: z.ZodType<MenuNode> = z.strictObject({
  type: z.literal('menu'),
  greeting: speechSchema.optional(),
  prompt: speechSchema,
  options: z.record(z.string().regex(/^[0-9*#]{1,20}$/, 'option keys are the digits to press'), nodeRef),
  /** Spoken words that choose an option: { "sales": "1" }. */
  speech: z.record(z.string().trim().min(1).max(100), z.string()).optional(),
  numDigits: z.int().min(1).max(20).optional(),
  timeout: z.int().min(1).max(60).optional(),
  speechLanguage: z.enum(GatherLanguage, { error: 'is not a Twilio <Gather> language' }).optional(),
  maxRetries: z.int().min(0).max(5).optional(),
  invalid: speechSchema.optional(),
  default: nodeRef.optional(),
});

const dialCommon = {
  callerId: phone.optional(),
  timeout: z.int().min(5).max(600).optional(),
  message: speechSchema.optional(),
  fallback: nodeRef.optional(),
  record: z.boolean().optional(),
};

const forwardNode: z.ZodType<ForwardNode> = z.strictObject({ type: z.literal('forward'), to: endpoint, ...dialCommon });
const ringNode: z.ZodType<RingNode> = z.strictObject({ type: z.literal('ring'), numbers: z.array(endpoint).min(1).max(10), ...dialCommon });
const identity = z.string().regex(CLIENT_IDENTITY, 'identities use letters, digits and _ . @ - (at most 121)');
const clientNode: z.ZodType<ClientNode> = z.strictObject({
  type: z.literal('client'),
  // <Dial> takes at most ten nouns.
  identities: z.array(identity).min(1, 'must name at least one identity').max(10, 'must name at most 10 identities'),
  ...dialCommon,
});

const voicemailNode: z.ZodType<VoicemailNode> = z.strictObject({
  type: z.literal('voicemail'),
  prompt: speechSchema.optional(),
  maxLength: z.int().min(1).max(3600).optional(),
  transcribe: z.boolean().optional(),
  finishOnKey: z.string().regex(/^[0-9*#]{0,1}$/, 'must be one key (0-9, * or #), or empty').optional(),
  thanks: speechSchema.optional(),
});

const sayNode: z.ZodType<SayNode> = z.strictObject({
  type: z.literal('say'),
  message: speechSchema,
  /** Where to go afterwards; without it the call ends. */
  next: nodeRef.optional(),
});

const conferenceNode: z.ZodType<ConferenceNode> = z.strictObject({
  type: z.literal('conference'),
  room: z.string().trim().min(1).max(128),
  message: speechSchema.optional(),
  startOnEnter: z.boolean().optional(),
  endOnExit: z.boolean().optional(),
  muted: z.boolean().optional(),
  waitUrl: httpUrl.optional(),
  maxParticipants: z.int().min(2).max(250).optional(),
  record: z.boolean().optional(),
});

const redirectNode: z.ZodType<RedirectNode> = z.strictObject({ type: z.literal('redirect'), url: httpUrl, method: z.enum(['GET', 'POST']).optional() });
const hangupNode: z.ZodType<HangupNode> = z.strictObject({ type: z.literal('hangup'), message: speechSchema.optional() });

const hoursNode: z.ZodType<HoursNode> = z.strictObject({
  type: z.literal('hours'),
  timeZone,
  /** Opening periods per weekday, e.g. { "mon": ["09:00-17:00"] }; days not listed are closed. */
  schedule: z.partialRecord(
    z.enum(DAYS),
    z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'periods are "HH:MM-HH:MM"')),
  ),
  /** Whole days closed, as YYYY-MM-DD in the node's time zone. */
  closedDates: z.array(z.iso.date()).optional(),
  open: nodeRef,
  closed: nodeRef,
});

const NODE_SCHEMAS: Record<FlowNode['type'], z.ZodType<FlowNode>> = {
  menu: menuNode,
  forward: forwardNode,
  ring: ringNode,
  voicemail: voicemailNode,
  say: sayNode,
  conference: conferenceNode,
  redirect: redirectNode,
  hangup: hangupNode,
  hours: hoursNode,
  client: clientNode,
};

/**
 * Picks the node's schema by its `type`, so that an error names the one field that is wrong
 * rather than every member of a union.
 */
export const flowNode: z.ZodType<FlowNode> = z.unknown().transform((value, ctx): FlowNode => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' && Object.hasOwn(NODE_SCHEMAS, type) ? NODE_SCHEMAS[type as FlowNode['type']] : undefined;
  if (schema === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `a node is an object whose "type" is one of ${Object.keys(NODE_SCHEMAS).join(', ')}`,
      path: typeof value === 'object' && value !== null ? ['type'] : [],
    });
    return z.NEVER;
  }
  return forward(schema.safeParse(value), ctx);
});

/** Passes a nested parse's issues up with their paths, relative to the current value. */
function forward<T>(result: z.ZodSafeParseResult<T>, ctx: z.RefinementCtx): T {
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issueMessage(issue), path: issue.path });
  return z.NEVER;
}

/** A bad record key carries the key rule's own message one level down. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
}

const smsKeyword = z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'keywords are one word of letters and digits');

export const settingsSchema: z.ZodType<SettingsFile> = z.strictObject({
  voice: z
    .strictObject({
      start: nodeRef,
      nodes: z.record(nodeName, flowNode).optional(),
    })
    .optional(),
  sms: z
    .strictObject({
      autoReply: text(1600).optional(),
      keywords: z.record(smsKeyword, text(1600)).optional(),
      mediaReply: text(1600).optional(),
      forwardTo: phone.optional(),
      helpText: text(1600).optional(),
      optOutReply: text(1600).optional(),
      optInReply: text(1600).optional(),
    })
    .optional(),
  twimlets: z
    .strictObject({
      holdMusic: z.record(z.string().min(1).max(64), z.array(httpUrl)).optional(),
    })
    .optional(),
});
