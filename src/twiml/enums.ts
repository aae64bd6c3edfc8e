// Enumerated attribute values, copied from the typings of twilio@6.2.0 (lib/twiml/*.d.ts).
// Each is a readonly tuple (usable at runtime, e.g. to validate configuration) and a union type of the same name.

export const ApplicationEvent = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type ApplicationEvent = (typeof ApplicationEvent)[number];
export const ClientEvent = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type ClientEvent = (typeof ClientEvent)[number];
export const ConferenceBeep = ['true', 'false', 'onEnter', 'onExit'] as const;
export type ConferenceBeep = (typeof ConferenceBeep)[number];
export const ConferenceEvent = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker',
  'announcement'] as const;
export type ConferenceEvent = (typeof ConferenceEvent)[number];
export const ConferenceJitterBufferSize = ['large', 'medium', 'small', 'off'] as const;
export type ConferenceJitterBufferSize = (typeof ConferenceJitterBufferSize)[number];
export const ConferenceRecord = ['do-not-record', 'record-from-start'] as const;
export type ConferenceRecord = (typeof ConferenceRecord)[number];
export const ConferenceRecordingEvent = ['in-progress', 'completed', 'absent'] as const;
export type ConferenceRecordingEvent = (typeof ConferenceRecordingEvent)[number];
export const ConferenceRegion = ['us1', 'us2', 'ie1', 'sg1', 'br1', 'au1', 'jp1', 'de1'] as const;
export type ConferenceRegion = (typeof ConferenceRegion)[number];
export const ConferenceTrim = ['trim-silence', 'do-not-trim'] as const;
export type ConferenceTrim = (typeof ConferenceTrim)[number];
export const ConversationEvent = ['call-initiated', 'call-ringing', 'call-answered',
  'call-completed'] as const;
export type ConversationEvent = (typeof ConversationEvent)[number];
export const ConversationRecord = ['do-not-record', 'record-from-answer', 'record-from-ringing',
  'record-from-answer-dual', 'record-from-ringing-dual', 'true', 'false'] as const;
export type ConversationRecord = (typeof ConversationRecord)[number];
export const ConversationRecordingEvent = ['in-progress', 'completed', 'absent'] as const;
export type ConversationRecordingEvent = (typeof ConversationRecordingEvent)[number];
export const ConversationTrim = ['trim-silence', 'do-not-trim'] as const;
export type ConversationTrim = (typeof ConversationTrim)[number];
export const DialEvents = ['call-progress-event'] as const;
export type DialEvents = (typeof DialEvents)[number];
export const DialRecord = ['do-not-record', 'record-from-answer', 'record-from-ringing',
  'record-from-answer-dual', 'record-from-ringing-dual'] as const;
export type DialRecord = (typeof DialRecord)[number];
export const DialRecordingEvent = ['in-progress', 'completed', 'absent'] as const;
export type DialRecordingEvent = (typeof DialRecordingEvent)[number];
export const DialRecordingTrack = ['both', 'inbound', 'outbound'] as const;
export type DialRecordingTrack = (typeof DialRecordingTrack)[number];
export const DialRingTone = ['at', 'au', 'bg', 'br', 'be', 'ch', 'cl', 'cn', 'cz', 'de', 'dk', 'ee', 'es',
  'fi', 'fr', 'gr', 'hu', 'il', 'in', 'it', 'lt', 'jp', 'mx', 'my', 'nl', 'no', 'nz', 'ph', 'pl', 'pt', 'ru',
  'se', 'sg', 'th', 'uk', 'us', 'us-old', 'tw', 've', 'za'] as const;
export type DialRingTone = (typeof DialRingTone)[number];
export const DialTrim = ['trim-silence', 'do-not-trim'] as const;
export type DialTrim = (typeof DialTrim)[number];
export const GatherInput = ['dtmf', 'speech'] as const;
export type GatherInput = (typeof GatherInput)[number];
export const GatherLanguage = ['af-ZA', 'am-ET', 'ar-AE', 'ar-BH', 'ar-DZ', 'ar-EG', 'ar-IL', 'ar-IQ',
  'ar-JO', 'ar-KW', 'ar-LB', 'ar-MA', 'ar-OM', 'ar-PS', 'ar-QA', 'ar-SA', 'ar-TN', 'az-AZ', 'bg-BG', 'bn-BD',
  'bn-IN', 'ca-ES', 'cs-CZ', 'da-DK', 'de-DE', 'el-GR', 'en-AU', 'en-CA', 'en-GB', 'en-GH', 'en-IE', 'en-IN',
  'en-KE', 'en-NG', 'en-NZ', 'en-PH', 'en-SG', 'en-TZ', 'en-US', 'en-ZA', 'es-AR', 'es-BO', 'es-CL', 'es-CO',
  'es-CR', 'es-DO', 'es-EC', 'es-ES', 'es-GT', 'es-HN', 'es-MX', 'es-NI', 'es-PA', 'es-PE', 'es-PR', 'es-PY',
  'es-SV', 'es-US', 'es-UY', 'es-VE', 'et-EE', 'eu-ES', 'fa-IR', 'fi-FI', 'fil-PH', 'fr-CA', 'fr-FR',
  'gl-ES', 'gu-IN', 'he-IL', 'hi-IN', 'hr-HR', 'hu-HU', 'hy-AM', 'id-ID', 'is-IS', 'it-IT', 'ja-JP', 'jv-ID',
  'ka-GE', 'km-KH', 'kn-IN', 'ko-KR', 'lo-LA', 'lt-LT', 'lv-LV', 'mk-MK', 'ml-IN', 'mn-MN', 'mr-IN', 'ms-MY',
  'my-MM', 'nar-IQ', 'nb-NO', 'ne-NP', 'nl-BE', 'nl-NL', 'pa-guru-IN', 'pl-PL', 'pt-BR', 'pt-PT', 'ro-RO',
  'ru-RU', 'si-LK', 'sk-SK', 'sl-SI', 'sq-AL', 'sr-RS', 'su-ID', 'sv-SE', 'sw-KE', 'sw-TZ', 'ta-IN', 'ta-LK',
  'ta-MY', 'ta-SG', 'te-IN', 'th-TH', 'tr-TR', 'uk-UA', 'ur-IN', 'ur-PK', 'uz-UZ', 'vi-VN', 'yue-Hant-HK',
  'zh', 'cmn-Hans-CN', 'zh-TW', 'cmn-Hant-TW', 'zu-ZA'] as const;
export type GatherLanguage = (typeof GatherLanguage)[number];
export const NumberEvent = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type NumberEvent = (typeof NumberEvent)[number];
export const PayBankAccountType = ['consumer-checking', 'consumer-savings', 'commercial-checking',
  'commercial-savings'] as const;
export type PayBankAccountType = (typeof PayBankAccountType)[number];
export const PayInput = ['dtmf'] as const;
export type PayInput = (typeof PayInput)[number];
export const PayLanguage = ['de-DE', 'en-AU', 'en-CA', 'en-GB', 'en-IN', 'en-IE', 'en-NZ', 'en-PH', 'en-ZA',
  'en-US', 'es-ES', 'es-US', 'fr-CA', 'fr-FR', 'it-IT'] as const;
export type PayLanguage = (typeof PayLanguage)[number];
export const PayPaymentMethod = ['ach-debit', 'credit-card'] as const;
export type PayPaymentMethod = (typeof PayPaymentMethod)[number];
export const PayStatusCallbackMethod = ['GET', 'POST'] as const;
export type PayStatusCallbackMethod = (typeof PayStatusCallbackMethod)[number];
export const PayTokenType = ['one-time', 'reusable', 'payment-method'] as const;
export type PayTokenType = (typeof PayTokenType)[number];
export const PayValidCardTypes = ['visa', 'mastercard', 'amex', 'maestro', 'discover', 'optima', 'jcb',
  'diners-club', 'enroute'] as const;
export type PayValidCardTypes = (typeof PayValidCardTypes)[number];
export const PromptCardType = ['visa', 'mastercard', 'amex', 'maestro', 'discover', 'optima', 'jcb',
  'diners-club', 'enroute'] as const;
export type PromptCardType = (typeof PromptCardType)[number];
export const PromptErrorType = ['timeout', 'invalid-card-number', 'invalid-card-type', 'invalid-date',
  'invalid-security-code', 'internal-error', 'input-matching-failed'] as const;
export type PromptErrorType = (typeof PromptErrorType)[number];
export const PromptFor = ['payment-card-number', 'expiration-date', 'security-code', 'postal-code',
  'payment-processing', 'bank-account-number', 'bank-routing-number'] as const;
export type PromptFor = (typeof PromptFor)[number];
export const ReceiveMediaType = ['application/pdf', 'image/tiff'] as const;
export type ReceiveMediaType = (typeof ReceiveMediaType)[number];
export const ReceivePageSize = ['letter', 'legal', 'a4'] as const;
export type ReceivePageSize = (typeof ReceivePageSize)[number];
export const RecordRecordingEvent = ['in-progress', 'completed', 'absent'] as const;
export type RecordRecordingEvent = (typeof RecordRecordingEvent)[number];
export const RecordTrim = ['trim-silence', 'do-not-trim'] as const;
export type RecordTrim = (typeof RecordTrim)[number];
export const RecordingChannels = ['mono', 'dual'] as const;
export type RecordingChannels = (typeof RecordingChannels)[number];
export const RecordingEvent = ['in-progress', 'completed', 'absent'] as const;
export type RecordingEvent = (typeof RecordingEvent)[number];
export const RecordingRecordingStatusCallbackMethod = ['GET', 'POST'] as const;
export type RecordingRecordingStatusCallbackMethod = (typeof RecordingRecordingStatusCallbackMethod)[number];
export const RecordingTrack = ['inbound', 'outbound', 'both'] as const;
export type RecordingTrack = (typeof RecordingTrack)[number];
export const RecordingTrim = ['trim-silence', 'do-not-trim'] as const;
export type RecordingTrim = (typeof RecordingTrim)[number];
export const RejectReason = ['rejected', 'busy'] as const;
export type RejectReason = (typeof RejectReason)[number];
export const SayLanguage = ['af-ZA', 'am-ET', 'ar-AE', 'ar-XA', 'arb', 'bg-BG', 'bn-IN', 'ca-ES', 'cmn-CN',
  'cmn-TW', 'cs-CZ', 'cy-GB', 'da-DK', 'de-AT', 'de-DE', 'el-GR', 'en-AU', 'en-CA', 'en-GB', 'en-GB-WLS',
  'en-IE', 'en-IN', 'en-NZ', 'en-US', 'en-ZA', 'es-ES', 'es-MX', 'es-US', 'fi-FI', 'fil-PH', 'fr-CA',
  'fr-FR', 'fr-BE', 'gu-IN', 'he-IL', 'hi-IN', 'hu-HU', 'id-ID', 'is-IS', 'it-IT', 'ja-JP', 'kn-IN', 'ko-KR',
  'lv-LV', 'ml-IN', 'mr-IN', 'ms-MY', 'nb-NO', 'nl-BE', 'nl-NL', 'pa-IN', 'pl-PL', 'pt-BR', 'pt-PT', 'ro-RO',
  'ru-RU', 'sk-SK', 'sr-RS', 'sv-SE', 'ta-IN', 'te-IN', 'th-TH', 'tr-TR', 'uk-UA', 'vi-VN', 'yue-HK',
  'zh-CN', 'zh-HK', 'zh-TW'] as const;
export type SayLanguage = (typeof SayLanguage)[number];
export const SayVoice = ['man', 'woman', 'alice', 'Google.af-ZA-Standard-A', 'Google.am-ET-Standard-A',
  'Google.am-ET-Standard-B', 'Google.am-ET-Wavenet-A', 'Google.am-ET-Wavenet-B',
  'Google.ar-XA-Chirp3-HD-Aoede', 'Google.ar-XA-Chirp3-HD-Charon', 'Google.ar-XA-Chirp3-HD-Fenrir',
  'Google.ar-XA-Chirp3-HD-Kore', 'Google.ar-XA-Chirp3-HD-Leda', 'Google.ar-XA-Chirp3-HD-Orus',
  'Google.ar-XA-Chirp3-HD-Puck', 'Google.ar-XA-Chirp3-HD-Zephyr', 'Google.ar-XA-Standard-A',
  'Google.ar-XA-Standard-B', 'Google.ar-XA-Standard-C', 'Google.ar-XA-Standard-D', 'Google.ar-XA-Wavenet-A',
  'Google.ar-XA-Wavenet-B', 'Google.ar-XA-Wavenet-C', 'Google.ar-XA-Wavenet-D', 'Google.bg-BG-Standard-A',
  'Google.bg-BG-Standard-B', 'Google.bn-IN-Chirp3-HD-Aoede', 'Google.bn-IN-Chirp3-HD-Charon',
  'Google.bn-IN-Chirp3-HD-Fenrir', 'Google.bn-IN-Chirp3-HD-Kore', 'Google.bn-IN-Chirp3-HD-Leda',
  'Google.bn-IN-Chirp3-HD-Orus', 'Google.bn-IN-Chirp3-HD-Puck', 'Google.bn-IN-Chirp3-HD-Zephyr',
  'Google.bn-IN-Standard-A', 'Google.bn-IN-Standard-B', 'Google.bn-IN-Standard-C', 'Google.bn-IN-Standard-D',
  'Google.bn-IN-Wavenet-A', 'Google.bn-IN-Wavenet-B', 'Google.bn-IN-Wavenet-C', 'Google.bn-IN-Wavenet-D',
  'Google.ca-ES-Standard-A', 'Google.ca-ES-Standard-B', 'Google.cmn-CN-Chirp3-HD-Aoede',
  'Google.cmn-CN-Chirp3-HD-Charon', 'Google.cmn-CN-Chirp3-HD-Fenrir', 'Google.cmn-CN-Chirp3-HD-Kore',
  'Google.cmn-CN-Chirp3-HD-Leda', 'Google.cmn-CN-Chirp3-HD-Orus', 'Google.cmn-CN-Chirp3-HD-Puck',
  'Google.cmn-CN-Chirp3-HD-Zephyr', 'Google.cmn-CN-Standard-A', 'Google.cmn-CN-Standard-B',
  'Google.cmn-CN-Standard-C', 'Google.cmn-CN-Standard-D', 'Google.cmn-CN-Wavenet-A',
  'Google.cmn-CN-Wavenet-B', 'Google.cmn-CN-Wavenet-C', 'Google.cmn-CN-Wavenet-D',
  'Google.cmn-TW-Standard-A', 'Google.cmn-TW-Standard-B', 'Google.cmn-TW-Standard-C',
  'Google.cmn-TW-Wavenet-A', 'Google.cmn-TW-Wavenet-B', 'Google.cmn-TW-Wavenet-C', 'Google.cs-CZ-Standard-A',
  'Google.cs-CZ-Standard-B', 'Google.cs-CZ-Wavenet-A', 'Google.cs-CZ-Wavenet-B', 'Google.da-DK-Neural2-D',
  'Google.da-DK-Neural2-F', 'Google.da-DK-Standard-A', 'Google.da-DK-Standard-C', 'Google.da-DK-Standard-D',
  'Google.da-DK-Standard-E', 'Google.da-DK-Standard-F', 'Google.da-DK-Standard-G', 'Google.da-DK-Wavenet-A',
  'Google.da-DK-Wavenet-C', 'Google.da-DK-Wavenet-D', 'Google.da-DK-Wavenet-E', 'Google.da-DK-Wavenet-F',
  'Google.da-DK-Wavenet-G', 'Google.de-DE-Chirp3-HD-Aoede', 'Google.de-DE-Chirp3-HD-Charon',
  'Google.de-DE-Chirp3-HD-Fenrir', 'Google.de-DE-Chirp3-HD-Kore', 'Google.de-DE-Chirp3-HD-Leda',
  'Google.de-DE-Chirp3-HD-Orus', 'Google.de-DE-Chirp3-HD-Puck', 'Google.de-DE-Chirp3-HD-Zephyr',
  'Google.de-DE-Neural2-A', 'Google.de-DE-Neural2-B', 'Google.de-DE-Neural2-C', 'Google.de-DE-Neural2-D',
  'Google.de-DE-Neural2-F', 'Google.de-DE-Neural2-G', 'Google.de-DE-Neural2-H', 'Google.de-DE-Standard-A',
  'Google.de-DE-Standard-B', 'Google.de-DE-Standard-C', 'Google.de-DE-Standard-D', 'Google.de-DE-Standard-E',
  'Google.de-DE-Standard-F', 'Google.de-DE-Standard-G', 'Google.de-DE-Standard-H', 'Google.de-DE-Wavenet-A',
  'Google.de-DE-Wavenet-B', 'Google.de-DE-Wavenet-C', 'Google.de-DE-Wavenet-D', 'Google.de-DE-Wavenet-E',
  'Google.de-DE-Wavenet-F', 'Google.de-DE-Wavenet-G', 'Google.de-DE-Wavenet-H', 'Google.el-GR-Standard-A',
  'Google.el-GR-Standard-B', 'Google.el-GR-Wavenet-A', 'Google.el-GR-Wavenet-B',
  'Google.en-AU-Chirp3-HD-Aoede', 'Google.en-AU-Chirp3-HD-Charon', 'Google.en-AU-Chirp3-HD-Fenrir',
  'Google.en-AU-Chirp3-HD-Kore', 'Google.en-AU-Chirp3-HD-Leda', 'Google.en-AU-Chirp3-HD-Orus',
  'Google.en-AU-Chirp3-HD-Puck', 'Google.en-AU-Chirp3-HD-Zephyr', 'Google.en-AU-Neural2-A',
  'Google.en-AU-Neural2-B', 'Google.en-AU-Neural2-C', 'Google.en-AU-Neural2-D', 'Google.en-AU-Standard-A',
  'Google.en-AU-Standard-B', 'Google.en-AU-Standard-C', 'Google.en-AU-Standard-D', 'Google.en-AU-Wavenet-A',
  'Google.en-AU-Wavenet-B', 'Google.en-AU-Wavenet-C', 'Google.en-AU-Wavenet-D',
  'Google.en-GB-Chirp3-HD-Aoede', 'Google.en-GB-Chirp3-HD-Charon', 'Google.en-GB-Chirp3-HD-Fenrir',
  'Google.en-GB-Chirp3-HD-Kore', 'Google.en-GB-Chirp3-HD-Leda', 'Google.en-GB-Chirp3-HD-Orus',
  'Google.en-GB-Chirp3-HD-Puck', 'Google.en-GB-Chirp3-HD-Zephyr', 'Google.en-GB-Neural2-A',
  'Google.en-GB-Neural2-B', 'Google.en-GB-Neural2-C', 'Google.en-GB-Neural2-D', 'Google.en-GB-Neural2-F',
  'Google.en-GB-Neural2-N', 'Google.en-GB-Neural2-O', 'Google.en-GB-Standard-A', 'Google.en-GB-Standard-B',
  'Google.en-GB-Standard-C', 'Google.en-GB-Standard-D', 'Google.en-GB-Standard-F', 'Google.en-GB-Standard-N',
  'Google.en-GB-Standard-O', 'Google.en-GB-Wavenet-A', 'Google.en-GB-Wavenet-B', 'Google.en-GB-Wavenet-C',
  'Google.en-GB-Wavenet-D', 'Google.en-GB-Wavenet-F', 'Google.en-GB-Wavenet-N', 'Google.en-GB-Wavenet-O',
  'Google.en-IN-Chirp3-HD-Aoede', 'Google.en-IN-Chirp3-HD-Charon', 'Google.en-IN-Chirp3-HD-Fenrir',
  'Google.en-IN-Chirp3-HD-Kore', 'Google.en-IN-Chirp3-HD-Leda', 'Google.en-IN-Chirp3-HD-Orus',
  'Google.en-IN-Chirp3-HD-Puck', 'Google.en-IN-Chirp3-HD-Zephyr', 'Google.en-IN-Neural2-A',
  'Google.en-IN-Neural2-B', 'Google.en-IN-Neural2-C', 'Google.en-IN-Neural2-D', 'Google.en-IN-Standard-A',
  'Google.en-IN-Standard-B', 'Google.en-IN-Standard-C', 'Google.en-IN-Standard-D', 'Google.en-IN-Standard-E',
  'Google.en-IN-Standard-F', 'Google.en-IN-Wavenet-A', 'Google.en-IN-Wavenet-B', 'Google.en-IN-Wavenet-C',
  'Google.en-IN-Wavenet-D', 'Google.en-IN-Wavenet-E', 'Google.en-IN-Wavenet-F',
  'Google.en-US-Chirp3-HD-Aoede', 'Google.en-US-Chirp3-HD-Charon', 'Google.en-US-Chirp3-HD-Fenrir',
  'Google.en-US-Chirp3-HD-Kore', 'Google.en-US-Chirp3-HD-Leda', 'Google.en-US-Chirp3-HD-Orus',
  'Google.en-US-Chirp3-HD-Puck', 'Google.en-US-Chirp3-HD-Zephyr', 'Google.en-US-Neural2-A',
  'Google.en-US-Neural2-C', 'Google.en-US-Neural2-D', 'Google.en-US-Neural2-E', 'Google.en-US-Neural2-F',
  'Google.en-US-Neural2-G', 'Google.en-US-Neural2-H', 'Google.en-US-Neural2-I', 'Google.en-US-Neural2-J',
  'Google.en-US-Standard-A', 'Google.en-US-Standard-B', 'Google.en-US-Standard-C', 'Google.en-US-Standard-D',
  'Google.en-US-Standard-E', 'Google.en-US-Standard-F', 'Google.en-US-Standard-G', 'Google.en-US-Standard-H',
  'Google.en-US-Standard-I', 'Google.en-US-Standard-J', 'Google.en-US-Wavenet-A', 'Google.en-US-Wavenet-B',
  'Google.en-US-Wavenet-C', 'Google.en-US-Wavenet-D', 'Google.en-US-Wavenet-E', 'Google.en-US-Wavenet-F',
  'Google.en-US-Wavenet-G', 'Google.en-US-Wavenet-H', 'Google.en-US-Wavenet-I', 'Google.en-US-Wavenet-J',
  'Google.es-ES-Chirp3-HD-Aoede', 'Google.es-ES-Chirp3-HD-Charon', 'Google.es-ES-Chirp3-HD-Fenrir',
  'Google.es-ES-Chirp3-HD-Kore', 'Google.es-ES-Chirp3-HD-Leda', 'Google.es-ES-Chirp3-HD-Orus',
  'Google.es-ES-Chirp3-HD-Puck', 'Google.es-ES-Chirp3-HD-Zephyr', 'Google.es-ES-Neural2-A',
  'Google.es-ES-Neural2-B', 'Google.es-ES-Neural2-C', 'Google.es-ES-Neural2-D', 'Google.es-ES-Neural2-E',
  'Google.es-ES-Neural2-F', 'Google.es-ES-Neural2-G', 'Google.es-ES-Neural2-H', 'Google.es-ES-Standard-A',
  'Google.es-ES-Standard-B', 'Google.es-ES-Standard-C', 'Google.es-ES-Standard-D', 'Google.es-ES-Standard-E',
  'Google.es-ES-Standard-F', 'Google.es-ES-Standard-G', 'Google.es-ES-Standard-H', 'Google.es-ES-Wavenet-B',
  'Google.es-ES-Wavenet-C', 'Google.es-ES-Wavenet-D', 'Google.es-ES-Wavenet-E', 'Google.es-ES-Wavenet-F',
  'Google.es-ES-Wavenet-G', 'Google.es-ES-Wavenet-H', 'Google.es-US-Chirp3-HD-Aoede',
  'Google.es-US-Chirp3-HD-Charon', 'Google.es-US-Chirp3-HD-Fenrir', 'Google.es-US-Chirp3-HD-Kore',
  'Google.es-US-Chirp3-HD-Leda', 'Google.es-US-Chirp3-HD-Orus', 'Google.es-US-Chirp3-HD-Puck',
  'Google.es-US-Chirp3-HD-Zephyr', 'Google.es-US-Neural2-A', 'Google.es-US-Neural2-B',
  'Google.es-US-Neural2-C', 'Google.es-US-Standard-A', 'Google.es-US-Standard-B', 'Google.es-US-Standard-C',
  'Google.es-US-Wavenet-A', 'Google.es-US-Wavenet-B', 'Google.es-US-Wavenet-C', 'Google.eu-ES-Standard-A',
  'Google.eu-ES-Standard-B', 'Google.fi-FI-Standard-A', 'Google.fi-FI-Standard-B', 'Google.fi-FI-Wavenet-A',
  'Google.fi-FI-Wavenet-B', 'Google.fil-ph-Neural2-A', 'Google.fil-ph-Neural2-D', 'Google.fil-PH-Standard-A',
  'Google.fil-PH-Standard-B', 'Google.fil-PH-Standard-C', 'Google.fil-PH-Standard-D',
  'Google.fil-PH-Wavenet-A', 'Google.fil-PH-Wavenet-B', 'Google.fil-PH-Wavenet-C', 'Google.fil-PH-Wavenet-D',
  'Google.fr-CA-Chirp3-HD-Aoede', 'Google.fr-CA-Chirp3-HD-Charon', 'Google.fr-CA-Chirp3-HD-Fenrir',
  'Google.fr-CA-Chirp3-HD-Kore', 'Google.fr-CA-Chirp3-HD-Leda', 'Google.fr-CA-Chirp3-HD-Orus',
  'Google.fr-CA-Chirp3-HD-Puck', 'Google.fr-CA-Chirp3-HD-Zephyr', 'Google.fr-CA-Neural2-A',
  'Google.fr-CA-Neural2-B', 'Google.fr-CA-Neural2-C', 'Google.fr-CA-Neural2-D', 'Google.fr-CA-Standard-A',
  'Google.fr-CA-Standard-B', 'Google.fr-CA-Standard-C', 'Google.fr-CA-Standard-D', 'Google.fr-CA-Wavenet-A',
  'Google.fr-CA-Wavenet-B', 'Google.fr-CA-Wavenet-C', 'Google.fr-CA-Wavenet-D',
  'Google.fr-FR-Chirp3-HD-Aoede', 'Google.fr-FR-Chirp3-HD-Charon', 'Google.fr-FR-Chirp3-HD-Fenrir',
  'Google.fr-FR-Chirp3-HD-Kore', 'Google.fr-FR-Chirp3-HD-Leda', 'Google.fr-FR-Chirp3-HD-Orus',
  'Google.fr-FR-Chirp3-HD-Puck', 'Google.fr-FR-Chirp3-HD-Zephyr', 'Google.fr-FR-Neural2-A',
  'Google.fr-FR-Neural2-B', 'Google.fr-FR-Neural2-C', 'Google.fr-FR-Neural2-D', 'Google.fr-FR-Neural2-E',
  'Google.fr-FR-Neural2-F', 'Google.fr-FR-Neural2-G', 'Google.fr-FR-Standard-A', 'Google.fr-FR-Standard-B',
  'Google.fr-FR-Standard-C', 'Google.fr-FR-Standard-D', 'Google.fr-FR-Standard-E', 'Google.fr-FR-Standard-F',
  'Google.fr-FR-Standard-G', 'Google.fr-FR-Wavenet-A', 'Google.fr-FR-Wavenet-B', 'Google.fr-FR-Wavenet-C',
  'Google.fr-FR-Wavenet-D', 'Google.fr-FR-Wavenet-E', 'Google.fr-FR-Wavenet-F', 'Google.fr-FR-Wavenet-G',
  'Google.gl-ES-Standard-A', 'Google.gl-ES-Standard-B', 'Google.gu-IN-Chirp3-HD-Aoede',
  'Google.gu-IN-Chirp3-HD-Charon', 'Google.gu-IN-Chirp3-HD-Fenrir', 'Google.gu-IN-Chirp3-HD-Kore',
  'Google.gu-IN-Chirp3-HD-Leda', 'Google.gu-IN-Chirp3-HD-Orus', 'Google.gu-IN-Chirp3-HD-Puck',
  'Google.gu-IN-Chirp3-HD-Zephyr', 'Google.gu-IN-Standard-A', 'Google.gu-IN-Standard-B',
  'Google.gu-IN-Standard-C', 'Google.gu-IN-Standard-D', 'Google.gu-IN-Wavenet-A', 'Google.gu-IN-Wavenet-B',
  'Google.gu-IN-Wavenet-C', 'Google.gu-IN-Wavenet-D', 'Google.he-IL-Standard-A', 'Google.he-IL-Standard-B',
  'Google.he-IL-Standard-C', 'Google.he-IL-Standard-D', 'Google.he-IL-Wavenet-A', 'Google.he-IL-Wavenet-B',
  'Google.he-IL-Wavenet-C', 'Google.he-IL-Wavenet-D', 'Google.hi-IN-Chirp3-HD-Aoede',
  'Google.hi-IN-Chirp3-HD-Charon', 'Google.hi-IN-Chirp3-HD-Fenrir', 'Google.hi-IN-Chirp3-HD-Kore',
  'Google.hi-IN-Chirp3-HD-Leda', 'Google.hi-IN-Chirp3-HD-Orus', 'Google.hi-IN-Chirp3-HD-Puck',
  'Google.hi-IN-Chirp3-HD-Zephyr', 'Google.hi-IN-Neural2-A', 'Google.hi-IN-Neural2-B',
  'Google.hi-IN-Neural2-C', 'Google.hi-IN-Neural2-D', 'Google.hi-IN-Standard-A', 'Google.hi-IN-Standard-B',
  'Google.hi-IN-Standard-C', 'Google.hi-IN-Standard-D', 'Google.hi-IN-Standard-E', 'Google.hi-IN-Standard-F',
  'Google.hi-IN-Wavenet-A', 'Google.hi-IN-Wavenet-B', 'Google.hi-IN-Wavenet-C', 'Google.hi-IN-Wavenet-D',
  'Google.hi-IN-Wavenet-E', 'Google.hi-IN-Wavenet-F', 'Google.hu-HU-Standard-A', 'Google.hu-HU-Standard-B',
  'Google.hu-HU-Wavenet-A', 'Google.id-ID-Chirp3-HD-Aoede', 'Google.id-ID-Chirp3-HD-Charon',
  'Google.id-ID-Chirp3-HD-Fenrir', 'Google.id-ID-Chirp3-HD-Kore', 'Google.id-ID-Chirp3-HD-Leda',
  'Google.id-ID-Chirp3-HD-Orus', 'Google.id-ID-Chirp3-HD-Puck', 'Google.id-ID-Chirp3-HD-Zephyr',
  'Google.id-ID-Standard-A', 'Google.id-ID-Standard-B', 'Google.id-ID-Standard-C', 'Google.id-ID-Standard-D',
  'Google.id-ID-Wavenet-A', 'Google.id-ID-Wavenet-B', 'Google.id-ID-Wavenet-C', 'Google.id-ID-Wavenet-D',
  'Google.is-IS-Standard-A', 'Google.is-IS-Standard-B', 'Google.it-IT-Chirp3-HD-Aoede',
  'Google.it-IT-Chirp3-HD-Charon', 'Google.it-IT-Chirp3-HD-Fenrir', 'Google.it-IT-Chirp3-HD-Kore',
  'Google.it-IT-Chirp3-HD-Leda', 'Google.it-IT-Chirp3-HD-Orus', 'Google.it-IT-Chirp3-HD-Puck',
  'Google.it-IT-Chirp3-HD-Zephyr', 'Google.it-IT-Neural2-A', 'Google.it-IT-Neural2-C',
  'Google.it-IT-Neural2-F', 'Google.it-IT-Standard-A', 'Google.it-IT-Standard-B', 'Google.it-IT-Standard-C',
  'Google.it-IT-Standard-D', 'Google.it-IT-Standard-E', 'Google.it-IT-Standard-F', 'Google.it-IT-Wavenet-A',
  'Google.it-IT-Wavenet-B', 'Google.it-IT-Wavenet-C', 'Google.it-IT-Wavenet-D', 'Google.it-IT-Wavenet-E',
  'Google.it-IT-Wavenet-F', 'Google.ja-JP-Chirp3-HD-Aoede', 'Google.ja-JP-Chirp3-HD-Charon',
  'Google.ja-JP-Chirp3-HD-Fenrir', 'Google.ja-JP-Chirp3-HD-Kore', 'Google.ja-JP-Chirp3-HD-Leda',
  'Google.ja-JP-Chirp3-HD-Orus', 'Google.ja-JP-Chirp3-HD-Puck', 'Google.ja-JP-Chirp3-HD-Zephyr',
  'Google.ja-JP-Neural2-B', 'Google.ja-JP-Neural2-C', 'Google.ja-JP-Neural2-D', 'Google.ja-JP-Standard-A',
  'Google.ja-JP-Standard-B', 'Google.ja-JP-Standard-C', 'Google.ja-JP-Standard-D', 'Google.ja-JP-Wavenet-A',
  'Google.ja-JP-Wavenet-B', 'Google.ja-JP-Wavenet-C', 'Google.ja-JP-Wavenet-D',
  'Google.kn-IN-Chirp3-HD-Aoede', 'Google.kn-IN-Chirp3-HD-Charon', 'Google.kn-IN-Chirp3-HD-Fenrir',
  'Google.kn-IN-Chirp3-HD-Kore', 'Google.kn-IN-Chirp3-HD-Leda', 'Google.kn-IN-Chirp3-HD-Orus',
  'Google.kn-IN-Chirp3-HD-Puck', 'Google.kn-IN-Chirp3-HD-Zephyr', 'Google.kn-IN-Standard-A',
  'Google.kn-IN-Standard-B', 'Google.kn-IN-Standard-C', 'Google.kn-IN-Standard-D', 'Google.kn-IN-Wavenet-A',
  'Google.kn-IN-Wavenet-B', 'Google.kn-IN-Wavenet-C', 'Google.kn-IN-Wavenet-D',
  'Google.ko-KR-Chirp3-HD-Aoede', 'Google.ko-KR-Chirp3-HD-Charon', 'Google.ko-KR-Chirp3-HD-Fenrir',
  'Google.ko-KR-Chirp3-HD-Kore', 'Google.ko-KR-Chirp3-HD-Leda', 'Google.ko-KR-Chirp3-HD-Orus',
  'Google.ko-KR-Chirp3-HD-Puck', 'Google.ko-KR-Chirp3-HD-Zephyr', 'Google.ko-KR-Neural2-A',
  'Google.ko-KR-Neural2-B', 'Google.ko-KR-Neural2-C', 'Google.ko-KR-Standard-A', 'Google.ko-KR-Standard-B',
  'Google.ko-KR-Standard-C', 'Google.ko-KR-Standard-D', 'Google.ko-KR-Wavenet-A', 'Google.ko-KR-Wavenet-B',
  'Google.ko-KR-Wavenet-C', 'Google.ko-KR-Wavenet-D', 'Google.lt-LT-Standard-A', 'Google.lt-LT-Standard-B',
  'Google.lv-LV-Standard-A', 'Google.lv-LV-Standard-B', 'Google.ml-IN-Chirp3-HD-Aoede',
  'Google.ml-IN-Chirp3-HD-Charon', 'Google.ml-IN-Chirp3-HD-Fenrir', 'Google.ml-IN-Chirp3-HD-Kore',
  'Google.ml-IN-Chirp3-HD-Leda', 'Google.ml-IN-Chirp3-HD-Orus', 'Google.ml-IN-Chirp3-HD-Puck',
  'Google.ml-IN-Chirp3-HD-Zephyr', 'Google.ml-IN-Standard-A', 'Google.ml-IN-Standard-B',
  'Google.ml-IN-Standard-C', 'Google.ml-IN-Standard-D', 'Google.ml-IN-Wavenet-A', 'Google.ml-IN-Wavenet-B',
  'Google.ml-IN-Wavenet-C', 'Google.ml-IN-Wavenet-D', 'Google.mr-IN-Chirp3-HD-Aoede',
  'Google.mr-IN-Chirp3-HD-Charon', 'Google.mr-IN-Chirp3-HD-Fenrir', 'Google.mr-IN-Chirp3-HD-Kore',
  'Google.mr-IN-Chirp3-HD-Leda', 'Google.mr-IN-Chirp3-HD-Orus', 'Google.mr-IN-Chirp3-HD-Puck',
  'Google.mr-IN-Chirp3-HD-Zephyr', 'Google.mr-IN-Standard-A', 'Google.mr-IN-Standard-B',
  'Google.mr-IN-Standard-C', 'Google.mr-IN-Wavenet-A', 'Google.mr-IN-Wavenet-B', 'Google.mr-IN-Wavenet-C',
  'Google.ms-MY-Standard-A', 'Google.ms-MY-Standard-B', 'Google.ms-MY-Standard-C', 'Google.ms-MY-Standard-D',
  'Google.ms-MY-Wavenet-A', 'Google.ms-MY-Wavenet-B', 'Google.ms-MY-Wavenet-C', 'Google.ms-MY-Wavenet-D',
  'Google.nb-NO-Standard-A', 'Google.nb-NO-Standard-B', 'Google.nb-NO-Standard-C', 'Google.nb-NO-Standard-D',
  'Google.nb-NO-Standard-E', 'Google.nb-NO-Standard-F', 'Google.nb-NO-Standard-G', 'Google.nb-NO-Wavenet-A',
  'Google.nb-NO-Wavenet-B', 'Google.nb-NO-Wavenet-C', 'Google.nb-NO-Wavenet-D', 'Google.nb-NO-Wavenet-E',
  'Google.nb-NO-Wavenet-F', 'Google.nb-NO-Wavenet-G', 'Google.nl-BE-Standard-A', 'Google.nl-BE-Standard-B',
  'Google.nl-BE-Standard-C', 'Google.nl-BE-Standard-D', 'Google.nl-BE-Wavenet-A', 'Google.nl-BE-Wavenet-B',
  'Google.nl-BE-Wavenet-C', 'Google.nl-BE-Wavenet-D', 'Google.nl-NL-Chirp3-HD-Aoede',
  'Google.nl-NL-Chirp3-HD-Charon', 'Google.nl-NL-Chirp3-HD-Fenrir', 'Google.nl-NL-Chirp3-HD-Kore',
  'Google.nl-NL-Chirp3-HD-Leda', 'Google.nl-NL-Chirp3-HD-Orus', 'Google.nl-NL-Chirp3-HD-Puck',
  'Google.nl-NL-Chirp3-HD-Zephyr', 'Google.nl-NL-Standard-A', 'Google.nl-NL-Standard-B',
  'Google.nl-NL-Standard-C', 'Google.nl-NL-Standard-D', 'Google.nl-NL-Standard-E', 'Google.nl-NL-Standard-F',
  'Google.nl-NL-Standard-G', 'Google.nl-NL-Wavenet-A', 'Google.nl-NL-Wavenet-B', 'Google.nl-NL-Wavenet-C',
  'Google.nl-NL-Wavenet-D', 'Google.nl-NL-Wavenet-E', 'Google.nl-NL-Wavenet-F', 'Google.nl-NL-Wavenet-G',
  'Google.pa-IN-Standard-A', 'Google.pa-IN-Standard-B', 'Google.pa-IN-Standard-C', 'Google.pa-IN-Standard-D',
  'Google.pa-IN-Wavenet-A', 'Google.pa-IN-Wavenet-B', 'Google.pa-IN-Wavenet-C', 'Google.pa-IN-Wavenet-D',
  'Google.pl-PL-Chirp3-HD-Aoede', 'Google.pl-PL-Chirp3-HD-Charon', 'Google.pl-PL-Chirp3-HD-Fenrir',
  'Google.pl-PL-Chirp3-HD-Kore', 'Google.pl-PL-Chirp3-HD-Leda', 'Google.pl-PL-Chirp3-HD-Orus',
  'Google.pl-PL-Chirp3-HD-Puck', 'Google.pl-PL-Chirp3-HD-Zephyr', 'Google.pl-PL-Standard-A',
  'Google.pl-PL-Standard-B', 'Google.pl-PL-Standard-C', 'Google.pl-PL-Standard-D', 'Google.pl-PL-Standard-E',
  'Google.pl-PL-Standard-F', 'Google.pl-PL-Standard-G', 'Google.pl-PL-Wavenet-A', 'Google.pl-PL-Wavenet-B',
  'Google.pl-PL-Wavenet-C', 'Google.pl-PL-Wavenet-D', 'Google.pl-PL-Wavenet-E', 'Google.pl-PL-Wavenet-F',
  'Google.pl-PL-Wavenet-G', 'Google.pt-BR-Chirp3-HD-Aoede', 'Google.pt-BR-Chirp3-HD-Charon',
  'Google.pt-BR-Chirp3-HD-Fenrir', 'Google.pt-BR-Chirp3-HD-Kore', 'Google.pt-BR-Chirp3-HD-Leda',
  'Google.pt-BR-Chirp3-HD-Orus', 'Google.pt-BR-Chirp3-HD-Puck', 'Google.pt-BR-Chirp3-HD-Zephyr',
  'Google.pt-BR-Neural2-A', 'Google.pt-BR-Neural2-B', 'Google.pt-BR-Neural2-C', 'Google.pt-BR-Standard-A',
  'Google.pt-BR-Standard-B', 'Google.pt-BR-Standard-C', 'Google.pt-BR-Standard-D', 'Google.pt-BR-Standard-E',
  'Google.pt-BR-Wavenet-A', 'Google.pt-BR-Wavenet-B', 'Google.pt-BR-Wavenet-C', 'Google.pt-BR-Wavenet-D',
  'Google.pt-BR-Wavenet-E', 'Google.pt-PT-Standard-A', 'Google.pt-PT-Standard-B', 'Google.pt-PT-Standard-C',
  'Google.pt-PT-Standard-D', 'Google.pt-PT-Standard-E', 'Google.pt-PT-Standard-F', 'Google.pt-PT-Wavenet-A',
  'Google.pt-PT-Wavenet-B', 'Google.pt-PT-Wavenet-C', 'Google.pt-PT-Wavenet-D', 'Google.pt-PT-Wavenet-E',
  'Google.pt-PT-Wavenet-F', 'Google.ro-RO-Standard-A', 'Google.ro-RO-Standard-B', 'Google.ro-RO-Wavenet-A',
  'Google.ro-RO-Wavenet-B', 'Google.ru-RU-Chirp3-HD-Aoede', 'Google.ru-RU-Chirp3-HD-Charon',
  'Google.ru-RU-Chirp3-HD-Fenrir', 'Google.ru-RU-Chirp3-HD-Kore', 'Google.ru-RU-Chirp3-HD-Leda',
  'Google.ru-RU-Chirp3-HD-Orus', 'Google.ru-RU-Chirp3-HD-Puck', 'Google.ru-RU-Chirp3-HD-Zephyr',
  'Google.ru-RU-Standard-A', 'Google.ru-RU-Standard-B', 'Google.ru-RU-Standard-C', 'Google.ru-RU-Standard-D',
  'Google.ru-RU-Standard-E', 'Google.ru-RU-Wavenet-A', 'Google.ru-RU-Wavenet-B', 'Google.ru-RU-Wavenet-C',
  'Google.ru-RU-Wavenet-D', 'Google.ru-RU-Wavenet-E', 'Google.sk-SK-Standard-A', 'Google.sk-SK-Standard-B',
  'Google.sk-SK-Wavenet-A', 'Google.sk-SK-Wavenet-B', 'Google.sr-RS-Standard-A', 'Google.sv-SE-Standard-A',
  'Google.sv-SE-Standard-B', 'Google.sv-SE-Standard-C', 'Google.sv-SE-Standard-D', 'Google.sv-SE-Standard-E',
  'Google.sv-SE-Standard-F', 'Google.sv-SE-Standard-G', 'Google.sv-SE-Wavenet-A', 'Google.sv-SE-Wavenet-B',
  'Google.sv-SE-Wavenet-C', 'Google.sv-SE-Wavenet-D', 'Google.sv-SE-Wavenet-E', 'Google.sv-SE-Wavenet-F',
  'Google.sv-SE-Wavenet-G', 'Google.ta-IN-Chirp3-HD-Aoede', 'Google.ta-IN-Chirp3-HD-Charon',
  'Google.ta-IN-Chirp3-HD-Fenrir', 'Google.ta-IN-Chirp3-HD-Kore', 'Google.ta-IN-Chirp3-HD-Leda',
  'Google.ta-IN-Chirp3-HD-Orus', 'Google.ta-IN-Chirp3-HD-Puck', 'Google.ta-IN-Chirp3-HD-Zephyr',
  'Google.ta-IN-Standard-A', 'Google.ta-IN-Standard-B', 'Google.ta-IN-Standard-C', 'Google.ta-IN-Standard-D',
  'Google.ta-IN-Wavenet-A', 'Google.ta-IN-Wavenet-B', 'Google.ta-IN-Wavenet-C', 'Google.ta-IN-Wavenet-D',
  'Google.te-IN-Chirp3-HD-Aoede', 'Google.te-IN-Chirp3-HD-Charon', 'Google.te-IN-Chirp3-HD-Fenrir',
  'Google.te-IN-Chirp3-HD-Kore', 'Google.te-IN-Chirp3-HD-Leda', 'Google.te-IN-Chirp3-HD-Orus',
  'Google.te-IN-Chirp3-HD-Puck', 'Google.te-IN-Chirp3-HD-Zephyr', 'Google.te-IN-Standard-A',
  'Google.te-IN-Standard-B', 'Google.te-IN-Standard-C', 'Google.te-IN-Standard-D',
  'Google.th-TH-Chirp3-HD-Aoede', 'Google.th-TH-Chirp3-HD-Charon', 'Google.th-TH-Chirp3-HD-Fenrir',
  'Google.th-TH-Chirp3-HD-Kore', 'Google.th-TH-Chirp3-HD-Leda', 'Google.th-TH-Chirp3-HD-Orus',
  'Google.th-TH-Chirp3-HD-Puck', 'Google.th-TH-Chirp3-HD-Zephyr', 'Google.th-TH-Neural2-C',
  'Google.th-TH-Standard-A', 'Google.tr-TR-Chirp3-HD-Aoede', 'Google.tr-TR-Chirp3-HD-Charon',
  'Google.tr-TR-Chirp3-HD-Fenrir', 'Google.tr-TR-Chirp3-HD-Kore', 'Google.tr-TR-Chirp3-HD-Leda',
  'Google.tr-TR-Chirp3-HD-Orus', 'Google.tr-TR-Chirp3-HD-Puck', 'Google.tr-TR-Chirp3-HD-Zephyr',
  'Google.tr-TR-Standard-A', 'Google.tr-TR-Standard-B', 'Google.tr-TR-Standard-C', 'Google.tr-TR-Standard-D',
  'Google.tr-TR-Standard-E', 'Google.tr-TR-Wavenet-A', 'Google.tr-TR-Wavenet-B', 'Google.tr-TR-Wavenet-C',
  'Google.tr-TR-Wavenet-D', 'Google.tr-TR-Wavenet-E', 'Google.uk-UA-Standard-A', 'Google.uk-UA-Wavenet-A',
  'Google.vi-VN-Chirp3-HD-Aoede', 'Google.vi-VN-Chirp3-HD-Charon', 'Google.vi-VN-Chirp3-HD-Fenrir',
  'Google.vi-VN-Chirp3-HD-Kore', 'Google.vi-VN-Chirp3-HD-Leda', 'Google.vi-VN-Chirp3-HD-Orus',
  'Google.vi-VN-Chirp3-HD-Puck', 'Google.vi-VN-Chirp3-HD-Zephyr', 'Google.vi-VN-Neural2-A',
  'Google.vi-VN-Neural2-D', 'Google.vi-VN-Standard-A', 'Google.vi-VN-Standard-B', 'Google.vi-VN-Standard-C',
  'Google.vi-VN-Standard-D', 'Google.vi-VN-Wavenet-A', 'Google.vi-VN-Wavenet-B', 'Google.vi-VN-Wavenet-C',
  'Google.vi-VN-Wavenet-D', 'Google.yue-HK-Standard-A', 'Google.yue-HK-Standard-B',
  'Google.yue-HK-Standard-C', 'Google.yue-HK-Standard-D', 'Polly.Aditi', 'Polly.Amy', 'Polly.Astrid',
  'Polly.Bianca', 'Polly.Brian', 'Polly.Camila', 'Polly.Carla', 'Polly.Carmen', 'Polly.Celine',
  'Polly.Chantal', 'Polly.Conchita', 'Polly.Cristiano', 'Polly.Dora', 'Polly.Emma', 'Polly.Enrique',
  'Polly.Ewa', 'Polly.Filiz', 'Polly.Geraint', 'Polly.Giorgio', 'Polly.Gwyneth', 'Polly.Hans', 'Polly.Ines',
  'Polly.Ivy', 'Polly.Jacek', 'Polly.Jan', 'Polly.Joanna', 'Polly.Joey', 'Polly.Justin', 'Polly.Karl',
  'Polly.Kendra', 'Polly.Kevin', 'Polly.Kimberly', 'Polly.Lea', 'Polly.Liv', 'Polly.Lotte', 'Polly.Lucia',
  'Polly.Lupe', 'Polly.Mads', 'Polly.Maja', 'Polly.Marlene', 'Polly.Mathieu', 'Polly.Matthew', 'Polly.Maxim',
  'Polly.Mia', 'Polly.Miguel', 'Polly.Mizuki', 'Polly.Naja', 'Polly.Nicole', 'Polly.Penelope',
  'Polly.Raveena', 'Polly.Ricardo', 'Polly.Ruben', 'Polly.Russell', 'Polly.Salli', 'Polly.Seoyeon',
  'Polly.Takumi', 'Polly.Tatyana', 'Polly.Vicki', 'Polly.Vitoria', 'Polly.Zeina', 'Polly.Zhiyu',
  'Polly.Adriano-Neural', 'Polly.Amy-Neural', 'Polly.Andres-Neural', 'Polly.Aria-Neural',
  'Polly.Arlet-Neural', 'Polly.Arthur-Neural', 'Polly.Ayanda-Neural', 'Polly.Bianca-Neural',
  'Polly.Brian-Neural', 'Polly.Burcu-Neural', 'Polly.Camila-Neural', 'Polly.Daniel-Neural',
  'Polly.Danielle-Neural', 'Polly.Elin-Neural', 'Polly.Emma-Neural', 'Polly.Gabrielle-Neural',
  'Polly.Gregory-Neural', 'Polly.Hala-Neural', 'Polly.Hannah-Neural', 'Polly.Hiujin-Neural',
  'Polly.Ida-Neural', 'Polly.Ines-Neural', 'Polly.Isabelle-Neural', 'Polly.Ivy-Neural',
  'Polly.Joanna-Neural', 'Polly.Joey-Neural', 'Polly.Justin-Neural', 'Polly.Kajal-Neural',
  'Polly.Kazuha-Neural', 'Polly.Kendra-Neural', 'Polly.Kevin-Neural', 'Polly.Kimberly-Neural',
  'Polly.Laura-Neural', 'Polly.Lea-Neural', 'Polly.Liam-Neural', 'Polly.Lisa-Neural', 'Polly.Lucia-Neural',
  'Polly.Lupe-Neural', 'Polly.Matthew-Neural', 'Polly.Mia-Neural', 'Polly.Niamh-Neural', 'Polly.Ola-Neural',
  'Polly.Olivia-Neural', 'Polly.Pedro-Neural', 'Polly.Remi-Neural', 'Polly.Ruth-Neural',
  'Polly.Salli-Neural', 'Polly.Seoyeon-Neural', 'Polly.Sergio-Neural', 'Polly.Sofie-Neural',
  'Polly.Stephen-Neural', 'Polly.Suvi-Neural', 'Polly.Takumi-Neural', 'Polly.Thiago-Neural',
  'Polly.Tomoko-Neural', 'Polly.Vicki-Neural', 'Polly.Vitoria-Neural', 'Polly.Zayd-Neural',
  'Polly.Zhiyu-Neural', 'Polly.Amy-Generative', 'Polly.Andres-Generative', 'Polly.Ayanda-Generative',
  'Polly.Bianca-Generative', 'Polly.Daniel-Generative', 'Polly.Danielle-Generative',
  'Polly.Joanna-Generative', 'Polly.Kajal-Generative', 'Polly.Lea-Generative', 'Polly.Lucia-Generative',
  'Polly.Lupe-Generative', 'Polly.Matthew-Generative', 'Polly.Mía-Generative', 'Polly.Olivia-Generative',
  'Polly.Pedro-Generative', 'Polly.Rémi-Generative', 'Polly.Ruth-Generative', 'Polly.Sergio-Generative',
  'Polly.Stephen-Generative', 'Polly.Vicki-Generative'] as const;
export type SayVoice = (typeof SayVoice)[number];
export const SipEvent = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type SipEvent = (typeof SipEvent)[number];
export const SiprecStatusCallbackMethod = ['GET', 'POST'] as const;
export type SiprecStatusCallbackMethod = (typeof SiprecStatusCallbackMethod)[number];
export const SiprecTrack = ['inbound_track', 'outbound_track', 'both_tracks'] as const;
export type SiprecTrack = (typeof SiprecTrack)[number];
export const SsmlBreakStrength = ['none', 'x-weak', 'weak', 'medium', 'strong', 'x-strong'] as const;
export type SsmlBreakStrength = (typeof SsmlBreakStrength)[number];
export const SsmlEmphasisLevel = ['strong', 'moderate', 'reduced'] as const;
export type SsmlEmphasisLevel = (typeof SsmlEmphasisLevel)[number];
export const SsmlLangXmlLang = ['arb', 'ar-AE', 'ca-ES', 'cmn-CN', 'cy-GB', 'da-DK', 'de-DE', 'de-AT',
  'en-AU', 'en-GB', 'en-GB-WLS', 'en-IN', 'en-NZ', 'en-US', 'en-ZA', 'es-ES', 'es-MX', 'es-US', 'fi-FI',
  'fr-CA', 'fr-FR', 'he-IL', 'hi-IN', 'is-IS', 'it-IT', 'ja-JP', 'ko-KR', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR',
  'pt-PT', 'ro-RO', 'ru-RU', 'sv-SE', 'tr-TR', 'yue-CN'] as const;
export type SsmlLangXmlLang = (typeof SsmlLangXmlLang)[number];
export const SsmlPhonemeAlphabet = ['ipa', 'x-sampa', 'x-amazon-jyutping', 'x-amazon-pinyin',
  'x-amazon-pron-kana', 'x-amazon-yomigana'] as const;
export type SsmlPhonemeAlphabet = (typeof SsmlPhonemeAlphabet)[number];
export const SsmlSayAsFormat = ['mdy', 'dmy', 'ymd', 'md', 'dm', 'ym', 'my', 'd', 'm', 'y',
  'yyyymmdd'] as const;
export type SsmlSayAsFormat = (typeof SsmlSayAsFormat)[number];
export const SsmlSayAsInterpretAs = ['characters', 'spell-out', 'cardinal', 'number', 'ordinal', 'digits',
  'fraction', 'unit', 'date', 'time', 'address', 'expletive', 'telephone'] as const;
export type SsmlSayAsInterpretAs = (typeof SsmlSayAsInterpretAs)[number];
export const StreamStatusCallbackMethod = ['GET', 'POST'] as const;
export type StreamStatusCallbackMethod = (typeof StreamStatusCallbackMethod)[number];
export const StreamTrack = ['inbound_track', 'outbound_track', 'both_tracks'] as const;
export type StreamTrack = (typeof StreamTrack)[number];
export const TranscriptionStatusCallbackMethod = ['GET', 'POST'] as const;
export type TranscriptionStatusCallbackMethod = (typeof TranscriptionStatusCallbackMethod)[number];
export const TranscriptionTrack = ['inbound_track', 'outbound_track', 'both_tracks'] as const;
export type TranscriptionTrack = (typeof TranscriptionTrack)[number];
export const WhatsAppEvent = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type WhatsAppEvent = (typeof WhatsAppEvent)[number];
