// Inputs (camelCase) and resources (Twilio's snake_case JSON) for the Calls and
// Messages endpoints of API 2010-04-01. Field lists follow twilio_api_v2010.json.

export type HttpMethod = 'GET' | 'POST';

export type CallStatus =
  | 'queued'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'no-answer'
  | 'canceled';

export type CallStatusCallbackEvent = 'initiated' | 'ringing' | 'answered' | 'completed';
export type RecordingStatusCallbackEvent = 'in-progress' | 'completed' | 'absent';
export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

export type MessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'receiving'
  | 'received'
  | 'accepted'
  | 'scheduled'
  | 'read'
  | 'partially_delivered'
  | 'canceled';

export type MessageDirection = 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';

/** Every optional field of a create-call request. */
export interface CreateCallOptions {
  to: string;
  from: string;
  url?: string;
  twiml?: string;
  applicationSid?: string;
  method?: HttpMethod;
  fallbackUrl?: string;
  fallbackMethod?: HttpMethod;
  statusCallback?: string;
  statusCallbackEvent?: readonly CallStatusCallbackEvent[];
  statusCallbackMethod?: HttpMethod;
  sendDigits?: string;
  /** Ring time in seconds (Twilio default 60, max 600). */
  timeout?: number;
  record?: boolean;
  recordingChannels?: 'mono' | 'dual';
  recordingStatusCallback?: string;
  recordingStatusCallbackMethod?: HttpMethod;
  recordingStatusCallbackEvent?: readonly RecordingStatusCallbackEvent[];
  recordingTrack?: 'inbound' | 'outbound' | 'both';
  trim?: 'trim-silence' | 'do-not-trim';
  sipAuthUsername?: string;
  sipAuthPassword?: string;
  machineDetection?: 'Enable' | 'DetectMessageEnd';
  machineDetectionTimeout?: number;
  machineDetectionSpeechThreshold?: number;
  machineDetectionSpeechEndThreshold?: number;
  machineDetectionSilenceTimeout?: number;
  asyncAmd?: boolean;
  asyncAmdStatusCallback?: string;
  asyncAmdStatusCallbackMethod?: HttpMethod;
  callerId?: string;
  timeLimit?: number;
  byoc?: string;
  callReason?: string;
  callToken?: string;
  clientNotificationUrl?: string;
}

/** A call needs instructions: a TwiML URL, inline TwiML or a TwiML App. */
export type CreateCallInput = CreateCallOptions &
  ({ url: string } | { twiml: string } | { applicationSid: string });

export interface UpdateCallInput {
  url?: string;
  method?: HttpMethod;
  /** `canceled` ends a queued/ringing call, `completed` hangs up a live one. */
  status?: 'canceled' | 'completed';
  fallbackUrl?: string;
  fallbackMethod?: HttpMethod;
  statusCallback?: string;
  statusCallbackMethod?: HttpMethod;
  twiml?: string;
  timeLimit?: number;
}

/** Every optional field of a create-message request. */
export interface SendMessageOptions {
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrl?: readonly string[];
  contentSid?: string;
  /** JSON text, or an object that is serialised with JSON.stringify. */
  contentVariables?: string | Readonly<Record<string, string>>;
  statusCallback?: string;
  applicationSid?: string;
  /** Seconds the message may wait in the queue (1–36000). */
  validityPeriod?: number;
  scheduleType?: 'fixed';
  /** Sent as ISO 8601 UTC without milliseconds (`YYYY-MM-DDTHH:mm:ssZ`). */
  sendAt?: Date | string;
  sendAsMms?: boolean;
  shortenUrls?: boolean;
  smartEncoded?: boolean;
  persistentAction?: readonly string[];
  provideFeedback?: boolean;
  attempt?: number;
  forceDelivery?: boolean;
  contentRetention?: 'retain' | 'discard';
  addressRetention?: 'retain' | 'obfuscate';
  trafficType?: 'free';
  riskCheck?: 'enable' | 'disable';
  fallbackFrom?: string;
  maxPrice?: number;
}

/** A message needs a sender and content, as Twilio's conditional rules say. */
export type SendMessageInput = SendMessageOptions &
  ({ from: string } | { messagingServiceSid: string }) &
  ({ body: string } | { mediaUrl: readonly string[] } | { contentSid: string });

export interface CallResource {
  sid: string;
  account_sid: string | null;
  parent_call_sid: string | null;
  date_created: string | null;
  date_updated: string | null;
  to: string | null;
  to_formatted: string | null;
  from: string | null;
  from_formatted: string | null;
  phone_number_sid: string | null;
  status: CallStatus;
  start_time: string | null;
  end_time: string | null;
  duration: string | null;
  price: string | null;
  price_unit: string | null;
  direction: CallDirection | null;
  answered_by: string | null;
  api_version: string | null;
  forwarded_from: string | null;
  group_sid: string | null;
  caller_name: string | null;
  queue_time: string | null;
  trunk_sid: string | null;
  uri: string | null;
  subresource_uris: Record<string, string> | null;
}

export interface MessageResource {
  sid: string;
  account_sid: string | null;
  messaging_service_sid: string | null;
  to: string | null;
  from: string | null;
  body: string | null;
  num_segments: string | null;
  num_media: string | null;
  direction: MessageDirection;
  status: MessageStatus;
  error_code: number | null;
  error_message: string | null;
  price: string | null;
  price_unit: string | null;
  api_version: string | null;
  date_created: string | null;
  date_updated: string | null;
  date_sent: string | null;
  uri: string | null;
  subresource_uris: Record<string, string> | null;
}
