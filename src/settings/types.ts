import type { GatherLanguage, SayLanguage, SayVoice } from '../twiml';

/** Something the caller hears: spoken text or an audio file. */
export type Speech =
  | { say: string; voice?: SayVoice | undefined; language?: SayLanguage | undefined }
  | { play: string };

/** A flow node, or the name of one. */
export type NodeRef = string | FlowNode;

export interface MenuNode {
  type: 'menu';
  greeting?: Speech | undefined;
  prompt: Speech;
  /** Digits to press → where they lead. */
  options: Record<string, NodeRef>;
  /** Spoken words → the option they choose: { "sales": "1" }. */
  speech?: Record<string, string> | undefined;
  numDigits?: number | undefined;
  timeout?: number | undefined;
  speechLanguage?: GatherLanguage | undefined;
  maxRetries?: number | undefined;
  invalid?: Speech | undefined;
  default?: NodeRef | undefined;
}

interface DialCommon {
  callerId?: string | undefined;
  timeout?: number | undefined;
  message?: Speech | undefined;
  /** Where an unanswered, busy or failed dial goes; without it the call ends. */
  fallback?: NodeRef | undefined;
  record?: boolean | undefined;
}

export interface ForwardNode extends DialCommon {
  type: 'forward';
  to: string;
}

export interface RingNode extends DialCommon {
  type: 'ring';
  numbers: string[];
}

/** Rings browsers running the softphone (Twilio Client), by identity, all at once. */
export interface ClientNode extends DialCommon {
  type: 'client';
  identities: string[];
}

export interface VoicemailNode {
  type: 'voicemail';
  prompt?: Speech | undefined;
  maxLength?: number | undefined;
  transcribe?: boolean | undefined;
  finishOnKey?: string | undefined;
  thanks?: Speech | undefined;
}

export interface SayNode {
  type: 'say';
  message: Speech;
  next?: NodeRef | undefined;
}

export interface ConferenceNode {
  type: 'conference';
  room: string;
  message?: Speech | undefined;
  startOnEnter?: boolean | undefined;
  endOnExit?: boolean | undefined;
  muted?: boolean | undefined;
  waitUrl?: string | undefined;
  maxParticipants?: number | undefined;
  record?: boolean | undefined;
}

export interface RedirectNode {
  type: 'redirect';
  url: string;
  method?: 'GET' | 'POST' | undefined;
}

export interface HangupNode {
  type: 'hangup';
  message?: Speech | undefined;
}

export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface HoursNode {
  type: 'hours';
  timeZone: string;
  /** Opening periods per weekday, "HH:MM-HH:MM"; days not listed are closed. */
  schedule: Partial<Record<Day, string[]>>;
  /** Whole days closed, YYYY-MM-DD in the node's time zone. */
  closedDates?: string[] | undefined;
  open: NodeRef;
  closed: NodeRef;
}

export type FlowNode =
  | MenuNode
  | ForwardNode
  | RingNode
  | ClientNode
  | VoicemailNode
  | SayNode
  | ConferenceNode
  | RedirectNode
  | HangupNode
  | HoursNode;

/** The node types that dial someone and come back with the outcome. */
export type DialNode = ForwardNode | RingNode | ClientNode;

export interface SmsSettings {
  autoReply?: string | undefined;
  /** First word of the message (any case) → reply. */
  keywords?: Record<string, string> | undefined;
  mediaReply?: string | undefined;
  forwardTo?: string | undefined;
  helpText?: string | undefined;
  optOutReply?: string | undefined;
  optInReply?: string | undefined;
}

/** The config file as written. */
export interface SettingsFile {
  voice?: { start: NodeRef; nodes?: Record<string, FlowNode> | undefined } | undefined;
  sms?: SmsSettings | undefined;
  twimlets?: { holdMusic?: Record<string, string[]> | undefined } | undefined;
}
