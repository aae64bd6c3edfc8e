import { installMethods } from './build';
import { TwimlResponse } from './response';
import type { ChildMethods } from './types';

// Each root is a real class (for `new` and `instanceof`); its methods come from the element table.

/** Voice TwiML (`twilio.twiml.VoiceResponse` equivalent). */
export class VoiceResponse extends TwimlResponse {}
export interface VoiceResponse extends ChildMethods<'VoiceResponse'> {}
installMethods(VoiceResponse.prototype, 'VoiceResponse');

/** Messaging TwiML (`twilio.twiml.MessagingResponse` equivalent). */
export class MessagingResponse extends TwimlResponse {}
export interface MessagingResponse extends ChildMethods<'MessagingResponse'> {}
installMethods(MessagingResponse.prototype, 'MessagingResponse');

/** Fax TwiML (`twilio.twiml.FaxResponse` equivalent). */
export class FaxResponse extends TwimlResponse {}
export interface FaxResponse extends ChildMethods<'FaxResponse'> {}
installMethods(FaxResponse.prototype, 'FaxResponse');
