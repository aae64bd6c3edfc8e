import * as E from './enums';

/** How an attribute value is typed: a scalar, an enum (tuple of allowed strings), or a space-joined list. */
type Scalar = 'string' | 'number' | 'boolean' | readonly string[];
export type AttrType = Scalar | { readonly list: Scalar };

export interface ElementSpec {
  /** XML element name; defaults to the table key. */
  readonly tag?: string;
  /** The builder method takes `(text)` or `(attributes, text)`. */
  readonly text?: boolean;
  readonly attrs?: { readonly [name: string]: AttrType };
  /** Builder method name → table key of the child element. */
  readonly children?: { readonly [method: string]: string };
}

const str = 'string';
const num = 'number';
const bool = 'boolean';
function list<const T extends Scalar>(item: T): { readonly list: T } {
  return { list: item };
}

/**
 * The single source of truth for the TwiML element tree (twilio@6.2.0).
 * Classes, builder methods and attribute types are all derived from this table:
 * adding a verb is one entry here plus its method name in the parent's `children`.
 */
export const ELEMENTS = {

  // voice
  VoiceResponse: { tag: 'Response', children: { connect: 'Connect', dial: 'Dial', echo: 'Echo',
      enqueue: 'Enqueue', gather: 'Gather', hangup: 'Hangup', leave: 'Leave', pause: 'Pause', pay: 'Pay',
      play: 'Play', prompt: 'Prompt', queue: 'Queue', record: 'Record', redirect: 'Redirect', refer: 'Refer',
      reject: 'Reject', say: 'Say', sms: 'Sms', start: 'Start', stop: 'Stop' } },
  AiSession: { attrs: { aiConnector: str, aiSessionConfiguration: str } },
  Application: { text: true, attrs: { copyParentTo: bool, customerId: str, method: str, statusCallback: str,
      statusCallbackEvent: list(E.ApplicationEvent), statusCallbackMethod: str, url: str },
      children: { applicationSid: 'ApplicationSid', parameter: 'Parameter' } },
  ApplicationSid: { text: true },
  Autopilot: { text: true },
  Client: { text: true, attrs: { method: str, statusCallback: str, statusCallbackEvent: list(E.ClientEvent),
      statusCallbackMethod: str, url: str }, children: { identity: 'Identity', parameter: 'Parameter' } },
  Conference: { text: true, attrs: { beep: E.ConferenceBeep, coach: str, endConferenceOnExit: bool,
      eventCallbackUrl: str, jitterBufferSize: E.ConferenceJitterBufferSize, maxParticipants: num,
      muted: bool, participantLabel: str, record: E.ConferenceRecord, recordingConfigurationId: str,
      recordingStatusCallback: str, recordingStatusCallbackEvent: list(E.ConferenceRecordingEvent),
      recordingStatusCallbackMethod: str, region: E.ConferenceRegion, startConferenceOnEnter: bool,
      statusCallback: str, statusCallbackEvent: list(E.ConferenceEvent), statusCallbackMethod: str,
      trim: E.ConferenceTrim, waitMethod: str, waitUrl: str } },
  Config: { attrs: { name: str, value: str } },
  Connect: { attrs: { action: str, method: str }, children: { aiSession: 'AiSession', autopilot: 'Autopilot',
      conversation: 'Conversation', conversationRelay: 'ConversationRelay',
      conversationRelaySession: 'ConversationRelaySession', room: 'Room', stream: 'Stream',
      virtualAgent: 'VirtualAgent' } },
  Conversation: { attrs: { inboundAutocreation: bool, inboundTimeout: num, method: str,
      record: E.ConversationRecord, recordingStatusCallback: str,
      recordingStatusCallbackEvent: list(E.ConversationRecordingEvent), recordingStatusCallbackMethod: str,
      routingAssignmentTimeout: num, serviceInstanceSid: str, statusCallback: str,
      statusCallbackEvent: list(E.ConversationEvent), statusCallbackMethod: str, trim: E.ConversationTrim,
      url: str } },
  ConversationRelay: { attrs: { backgroundnoisereduction: str, debug: str, deepgramsmartformat: str,
      dtmfDetection: bool, elevenlabsTextNormalization: str, events: str, hints: str, ignorebackchannel: str,
      intelligenceService: str, interruptSensitivity: str, interruptible: str, language: str,
      partialPrompts: bool, preemptible: bool, profanityFilter: bool, reportInputDuringAgentSpeech: bool,
      speechModel: str, speechtimeout: str, transcriptionLanguage: str, transcriptionProvider: str,
      ttsLanguage: str, ttsProvider: str, url: str, voice: str, welcomeGreeting: str,
      welcomeGreetingInterruptible: str }, children: { language: 'Language', parameter: 'Parameter' } },
  ConversationRelaySession: { attrs: { connector: str, sessionConfiguration: str } },
  Dial: { text: true, attrs: { action: str, answerOnBridge: bool, callerId: str, events: E.DialEvents,
      hangupOnStar: bool, method: str, passports: str, record: E.DialRecord, recordingConfigurationId: str,
      recordingStatusCallback: str, recordingStatusCallbackEvent: list(E.DialRecordingEvent),
      recordingStatusCallbackMethod: str, recordingTrack: E.DialRecordingTrack, referMethod: str,
      referUrl: str, ringTone: E.DialRingTone, sequential: bool, timeLimit: num, timeout: num,
      trim: E.DialTrim }, children: { application: 'Application', client: 'Client', conference: 'Conference',
      number: 'Number', queue: 'Queue', sim: 'Sim', sip: 'Sip', whatsApp: 'WhatsApp' } },
  Echo: {},
  Enqueue: { text: true, attrs: { action: str, maxQueueSize: num, method: str, waitUrl: str,
      waitUrlMethod: str, workflowSid: str }, children: { task: 'Task' } },
  Gather: { attrs: { action: str, actionOnEmptyResult: bool, bargeIn: bool, debug: bool, enhanced: bool,
      finishOnKey: str, hints: str, input: list(E.GatherInput), language: E.GatherLanguage,
      maxSpeechTime: num, method: str, numDigits: num, partialResultCallback: str,
      partialResultCallbackMethod: str, profanityFilter: bool, speechModel: str, speechTimeout: str,
      timeout: num }, children: { pause: 'Pause', play: 'Play', say: 'Say' } },
  Hangup: { children: { parameter: 'Parameter' } },
  Header: { attrs: { name: str, value: str } },
  Headers: { children: { header: 'Header' } },
  Identity: { text: true },
  Language: { attrs: { code: str, speechModel: str, transcriptionProvider: str, ttsProvider: str,
      voice: str } },
  Leave: {},
  Number: { text: true, attrs: { amdStatusCallback: str, amdStatusCallbackMethod: str, byoc: str,
      machineDetection: str, machineDetectionSilenceTimeout: num, machineDetectionSpeechEndThreshold: num,
      machineDetectionSpeechThreshold: num, machineDetectionTimeout: num, method: str, sendDigits: str,
      statusCallback: str, statusCallbackEvent: list(E.NumberEvent), statusCallbackMethod: str, url: str } },
  Parameter: { attrs: { name: str, value: str } },
  Pause: { attrs: { length: num } },
  Pay: { attrs: { action: str, bankAccountType: E.PayBankAccountType, chargeAmount: str, currency: str,
      description: str, input: E.PayInput, language: E.PayLanguage, maxAttempts: num,
      minPostalCodeLength: num, paymentConnector: str, paymentMethod: E.PayPaymentMethod, postalCode: str,
      securityCode: bool, statusCallback: str, statusCallbackMethod: E.PayStatusCallbackMethod, timeout: num,
      tokenType: E.PayTokenType, validCardTypes: list(E.PayValidCardTypes) },
      children: { parameter: 'Parameter', prompt: 'Prompt' } },
  Play: { text: true, attrs: { digits: str, loop: num } },
  Prompt: { attrs: { attempt: list(num), cardType: list(E.PromptCardType),
      errorType: list(E.PromptErrorType), for: E.PromptFor, requireMatchingInputs: bool },
      children: { pause: 'Pause', play: 'Play', say: 'Say' } },
  Queue: { text: true, attrs: { method: str, postWorkActivitySid: str, reservationSid: str, url: str } },
  Record: { attrs: { action: str, finishOnKey: str, maxLength: num, method: str, playBeep: bool,
      recordingConfigurationId: str, recordingStatusCallback: str,
      recordingStatusCallbackEvent: list(E.RecordRecordingEvent), recordingStatusCallbackMethod: str,
      timeout: num, transcribe: bool, transcribeCallback: str, trim: E.RecordTrim } },
  Recording: { attrs: { channels: E.RecordingChannels, recordingConfigurationId: str,
      recordingStatusCallback: str, recordingStatusCallbackEvent: list(E.RecordingEvent),
      recordingStatusCallbackMethod: E.RecordingRecordingStatusCallbackMethod, track: E.RecordingTrack,
      trim: E.RecordingTrim } },
  Redirect: { text: true, attrs: { method: str } },
  Refer: { attrs: { action: str, method: str }, children: { sip: 'ReferSip' } },
  ReferSip: { tag: 'Sip', text: true },
  Reject: { attrs: { reason: E.RejectReason }, children: { parameter: 'Parameter' } },
  Room: { text: true, attrs: { participantIdentity: str } },
  Say: { text: true, attrs: { language: E.SayLanguage, loop: num, voice: E.SayVoice },
      children: { break: 'SsmlBreak', emphasis: 'SsmlEmphasis', lang: 'SsmlLang', p: 'SsmlP',
      phoneme: 'SsmlPhoneme', prosody: 'SsmlProsody', s: 'SsmlS', sayAs: 'SsmlSayAs', sub: 'SsmlSub',
      w: 'SsmlW' } },
  Sim: { text: true },
  Sip: { text: true, attrs: { amdStatusCallback: str, amdStatusCallbackMethod: str, machineDetection: str,
      machineDetectionSilenceTimeout: num, machineDetectionSpeechEndThreshold: num,
      machineDetectionSpeechThreshold: num, machineDetectionTimeout: num, method: str, password: str,
      statusCallback: str, statusCallbackEvent: list(E.SipEvent), statusCallbackMethod: str, url: str,
      username: str }, children: { headers: 'Headers', uri: 'SipUri' } },
  SipUri: { tag: 'Uri', text: true, attrs: { password: str, priority: str, username: str, weight: str } },
  Siprec: { attrs: { connectorName: str, name: str, statusCallback: str,
      statusCallbackMethod: E.SiprecStatusCallbackMethod, track: E.SiprecTrack },
      children: { parameter: 'Parameter' } },
  Sms: { text: true, attrs: { action: str, from: str, method: str, statusCallback: str, to: str } },
  SsmlBreak: { tag: 'break', attrs: { strength: E.SsmlBreakStrength, time: str } },
  SsmlEmphasis: { tag: 'emphasis', text: true, attrs: { level: E.SsmlEmphasisLevel },
      children: { break: 'SsmlBreak', emphasis: 'SsmlEmphasis', lang: 'SsmlLang', phoneme: 'SsmlPhoneme',
      prosody: 'SsmlProsody', sayAs: 'SsmlSayAs', sub: 'SsmlSub', w: 'SsmlW' } },
  SsmlLang: { tag: 'lang', text: true, attrs: { 'xml:lang': E.SsmlLangXmlLang },
      children: { break: 'SsmlBreak', emphasis: 'SsmlEmphasis', lang: 'SsmlLang', p: 'SsmlP',
      phoneme: 'SsmlPhoneme', prosody: 'SsmlProsody', s: 'SsmlS', sayAs: 'SsmlSayAs', sub: 'SsmlSub',
      w: 'SsmlW' } },
  SsmlP: { tag: 'p', text: true, children: { break: 'SsmlBreak', emphasis: 'SsmlEmphasis', lang: 'SsmlLang',
      phoneme: 'SsmlPhoneme', prosody: 'SsmlProsody', s: 'SsmlS', sayAs: 'SsmlSayAs', sub: 'SsmlSub',
      w: 'SsmlW' } },
  SsmlPhoneme: { tag: 'phoneme', text: true, attrs: { alphabet: E.SsmlPhonemeAlphabet, ph: str } },
  SsmlProsody: { tag: 'prosody', text: true, attrs: { pitch: str, rate: str, volume: str },
      children: { break: 'SsmlBreak', emphasis: 'SsmlEmphasis', lang: 'SsmlLang', p: 'SsmlP',
      phoneme: 'SsmlPhoneme', prosody: 'SsmlProsody', s: 'SsmlS', sayAs: 'SsmlSayAs', sub: 'SsmlSub',
      w: 'SsmlW' } },
  SsmlS: { tag: 's', text: true, children: { break: 'SsmlBreak', emphasis: 'SsmlEmphasis', lang: 'SsmlLang',
      phoneme: 'SsmlPhoneme', prosody: 'SsmlProsody', sayAs: 'SsmlSayAs', sub: 'SsmlSub', w: 'SsmlW' } },
  SsmlSayAs: { tag: 'say-as', text: true, attrs: { format: E.SsmlSayAsFormat,
      'interpret-as': E.SsmlSayAsInterpretAs } },
  SsmlSub: { tag: 'sub', text: true, attrs: { alias: str } },
  SsmlW: { tag: 'w', text: true, attrs: { role: str }, children: { break: 'SsmlBreak',
      emphasis: 'SsmlEmphasis', phoneme: 'SsmlPhoneme', prosody: 'SsmlProsody', sayAs: 'SsmlSayAs',
      sub: 'SsmlSub' } },
  Start: { attrs: { action: str, method: str }, children: { recording: 'Recording', siprec: 'Siprec',
      stream: 'Stream', transcription: 'Transcription' } },
  Stop: { children: { siprec: 'Siprec', stream: 'Stream', transcription: 'Transcription' } },
  Stream: { attrs: { audioFormat: str, connectorName: str, name: str, sampleRate: str, statusCallback: str,
      statusCallbackMethod: E.StreamStatusCallbackMethod, track: E.StreamTrack, url: str },
      children: { parameter: 'Parameter' } },
  Task: { text: true, attrs: { priority: num, timeout: num } },
  Transcription: { attrs: { enableAutomaticPunctuation: bool, hints: str, inboundTrackLabel: str,
      intelligenceService: str, languageCode: str, name: str, outboundTrackLabel: str, partialResults: bool,
      profanityFilter: bool, speechModel: str, statusCallbackMethod: E.TranscriptionStatusCallbackMethod,
      statusCallbackUrl: str, track: E.TranscriptionTrack, transcriptionEngine: str },
      children: { config: 'Config', parameter: 'Parameter' } },
  VirtualAgent: { attrs: { connectorName: str, language: str, sentimentAnalysis: bool, statusCallback: str,
      statusCallbackMethod: str }, children: { config: 'Config', parameter: 'Parameter' } },
  WhatsApp: { text: true, attrs: { method: str, statusCallback: str,
      statusCallbackEvent: list(E.WhatsAppEvent), statusCallbackMethod: str, url: str } },

  // messaging
  MessagingResponse: { tag: 'Response', children: { message: 'Message', redirect: 'Redirect' } },
  Body: { text: true },
  Media: { text: true },
  Message: { text: true, attrs: { action: str, from: str, method: str, statusCallback: str, to: str },
      children: { body: 'Body', media: 'Media' } },

  // fax
  FaxResponse: { tag: 'Response', children: { receive: 'Receive' } },
  Receive: { attrs: { action: str, mediaType: E.ReceiveMediaType, method: str, pageSize: E.ReceivePageSize,
      storeMedia: bool } },
} as const satisfies { readonly [key: string]: ElementSpec };

export type Elements = typeof ELEMENTS;
export type ElementKey = keyof Elements;

// Compile-time check that every child reference names an entry of the table.
type ChildTargets = {
  [K in ElementKey]: Elements[K] extends { children: infer C } ? C[keyof C] : never;
}[ElementKey];
type AssertNever<T extends never> = T;
export type DanglingChildren = AssertNever<Exclude<ChildTargets, ElementKey>>;
