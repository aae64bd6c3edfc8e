export { VoiceResponse, MessagingResponse, FaxResponse } from './responses';
export { TwimlResponse } from './response';
export { TwimlNode } from './node';
export { TwimlError, type TwimlErrorCode } from './errors';
export { xmlSafe, type AttributeValue, type GenericAttributes } from './values';
export type { Attributes, NoAttributes, TwimlElement, ChildMethods, TextMethod, AttributesMethod } from './types';
export { ELEMENTS, type ElementKey, type ElementSpec } from './elements';
export * from './enums';
