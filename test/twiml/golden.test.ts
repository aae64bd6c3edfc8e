import { FaxResponse, MessagingResponse, VoiceResponse } from '../../src/twiml';

// One golden document per element: all attributes, text, and one of each child. The strings were produced
// by twilio-node 6.2.0 for the same calls (parity.test.ts re-checks that against the installed package).

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('golden documents', () => {
  test('<AiSession> in <Connect>', () => {
    const r = new VoiceResponse();
    r.connect().aiSession({ aiConnector: 'aiConnector-1', aiSessionConfiguration: 'aiSessionConfiguration-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><AiSession aiConnector="aiConnector-1" aiSessionConfiguration="aiSessionConfiguration-1"/></Connect></Response>');
  });

  test('<Application> in <Dial>', () => {
    const r = new VoiceResponse();
    const node = r.dial().application({ copyParentTo: true, customerId: 'customerId-1', method: 'POST', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['initiated', 'ringing'], statusCallbackMethod: 'POST', url: 'https://example.com/cb?a=1&b=2' }, 'Application text');
    node.applicationSid('ApplicationSid');
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Application copyParentTo="true" customerId="customerId-1" method="POST" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="initiated ringing" statusCallbackMethod="POST" url="https://example.com/cb?a=1&amp;b=2">Application text<ApplicationSid>ApplicationSid</ApplicationSid><Parameter/></Application></Dial></Response>');
  });

  test('<ApplicationSid> in <Dial> <Application>', () => {
    const r = new VoiceResponse();
    r.dial().application().applicationSid('ApplicationSid text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Application><ApplicationSid>ApplicationSid text</ApplicationSid></Application></Dial></Response>');
  });

  test('<Autopilot> in <Connect>', () => {
    const r = new VoiceResponse();
    r.connect().autopilot('Autopilot text');
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><Autopilot>Autopilot text</Autopilot></Connect></Response>');
  });

  test('<Client> in <Dial>', () => {
    const r = new VoiceResponse();
    const node = r.dial().client({ method: 'POST', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['initiated', 'ringing'], statusCallbackMethod: 'POST', url: 'https://example.com/cb?a=1&b=2' }, 'Client text');
    node.identity('Identity');
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Client method="POST" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="initiated ringing" statusCallbackMethod="POST" url="https://example.com/cb?a=1&amp;b=2">Client text<Identity>Identity</Identity><Parameter/></Client></Dial></Response>');
  });

  test('<Conference> in <Dial>', () => {
    const r = new VoiceResponse();
    r.dial().conference({ beep: 'false', coach: 'coach-1', endConferenceOnExit: true, eventCallbackUrl: 'https://example.com/cb?a=1&b=2', jitterBufferSize: 'medium', maxParticipants: 5, muted: true, participantLabel: 'participantLabel-1', record: 'record-from-start', recordingConfigurationId: 'recordingConfigurationId-1', recordingStatusCallback: 'https://example.com/cb?a=1&b=2', recordingStatusCallbackEvent: ['in-progress', 'completed'], recordingStatusCallbackMethod: 'POST', region: 'us2', startConferenceOnEnter: true, statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['start', 'end'], statusCallbackMethod: 'POST', trim: 'do-not-trim', waitMethod: 'POST', waitUrl: 'https://example.com/cb?a=1&b=2' }, 'Conference text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Conference beep="false" coach="coach-1" endConferenceOnExit="true" eventCallbackUrl="https://example.com/cb?a=1&amp;b=2" jitterBufferSize="medium" maxParticipants="5" muted="true" participantLabel="participantLabel-1" record="record-from-start" recordingConfigurationId="recordingConfigurationId-1" recordingStatusCallback="https://example.com/cb?a=1&amp;b=2" recordingStatusCallbackEvent="in-progress completed" recordingStatusCallbackMethod="POST" region="us2" startConferenceOnEnter="true" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="start end" statusCallbackMethod="POST" trim="do-not-trim" waitMethod="POST" waitUrl="https://example.com/cb?a=1&amp;b=2">Conference text</Conference></Dial></Response>');
  });

  test('<Config> in <Connect> <VirtualAgent>', () => {
    const r = new VoiceResponse();
    r.connect().virtualAgent().config({ name: 'name-1', value: 'value-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><VirtualAgent><Config name="name-1" value="value-1"/></VirtualAgent></Connect></Response>');
  });

  test('<Connect>', () => {
    const r = new VoiceResponse();
    const node = r.connect({ action: 'https://example.com/cb?a=1&b=2', method: 'POST' });
    node.aiSession();
    node.autopilot('Autopilot');
    node.conversation();
    node.conversationRelay();
    node.conversationRelaySession();
    node.room('Room');
    node.stream();
    node.virtualAgent();
    expect(r.toString()).toBe(DECL +
      '<Response><Connect action="https://example.com/cb?a=1&amp;b=2" method="POST"><AiSession/><Autopilot>Autopilot</Autopilot><Conversation/><ConversationRelay/><ConversationRelaySession/><Room>Room</Room><Stream/><VirtualAgent/></Connect></Response>');
  });

  test('<Conversation> in <Connect>', () => {
    const r = new VoiceResponse();
    r.connect().conversation({ inboundAutocreation: true, inboundTimeout: 5, method: 'POST', record: 'record-from-answer', recordingStatusCallback: 'https://example.com/cb?a=1&b=2', recordingStatusCallbackEvent: ['in-progress', 'completed'], recordingStatusCallbackMethod: 'POST', routingAssignmentTimeout: 5, serviceInstanceSid: 'serviceInstanceSid-1', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['call-initiated', 'call-ringing'], statusCallbackMethod: 'POST', trim: 'do-not-trim', url: 'https://example.com/cb?a=1&b=2' });
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><Conversation inboundAutocreation="true" inboundTimeout="5" method="POST" record="record-from-answer" recordingStatusCallback="https://example.com/cb?a=1&amp;b=2" recordingStatusCallbackEvent="in-progress completed" recordingStatusCallbackMethod="POST" routingAssignmentTimeout="5" serviceInstanceSid="serviceInstanceSid-1" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="call-initiated call-ringing" statusCallbackMethod="POST" trim="do-not-trim" url="https://example.com/cb?a=1&amp;b=2"/></Connect></Response>');
  });

  test('<ConversationRelay> in <Connect>', () => {
    const r = new VoiceResponse();
    const node = r.connect().conversationRelay({ backgroundnoisereduction: 'backgroundnoisereduction-1', debug: 'debug-1', deepgramsmartformat: 'deepgramsmartformat-1', dtmfDetection: true, elevenlabsTextNormalization: 'elevenlabsTextNormalization-1', events: 'events-1', hints: 'hints-1', ignorebackchannel: 'ignorebackchannel-1', intelligenceService: 'intelligenceService-1', interruptSensitivity: 'interruptSensitivity-1', interruptible: 'interruptible-1', language: 'language-1', partialPrompts: true, preemptible: true, profanityFilter: true, reportInputDuringAgentSpeech: true, speechModel: 'speechModel-1', speechtimeout: 'speechtimeout-1', transcriptionLanguage: 'transcriptionLanguage-1', transcriptionProvider: 'transcriptionProvider-1', ttsLanguage: 'ttsLanguage-1', ttsProvider: 'ttsProvider-1', url: 'https://example.com/cb?a=1&b=2', voice: 'voice-1', welcomeGreeting: 'welcomeGreeting-1', welcomeGreetingInterruptible: 'welcomeGreetingInterruptible-1' });
    node.language();
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><ConversationRelay backgroundnoisereduction="backgroundnoisereduction-1" debug="debug-1" deepgramsmartformat="deepgramsmartformat-1" dtmfDetection="true" elevenlabsTextNormalization="elevenlabsTextNormalization-1" events="events-1" hints="hints-1" ignorebackchannel="ignorebackchannel-1" intelligenceService="intelligenceService-1" interruptSensitivity="interruptSensitivity-1" interruptible="interruptible-1" language="language-1" partialPrompts="true" preemptible="true" profanityFilter="true" reportInputDuringAgentSpeech="true" speechModel="speechModel-1" speechtimeout="speechtimeout-1" transcriptionLanguage="transcriptionLanguage-1" transcriptionProvider="transcriptionProvider-1" ttsLanguage="ttsLanguage-1" ttsProvider="ttsProvider-1" url="https://example.com/cb?a=1&amp;b=2" voice="voice-1" welcomeGreeting="welcomeGreeting-1" welcomeGreetingInterruptible="welcomeGreetingInterruptible-1"><Language/><Parameter/></ConversationRelay></Connect></Response>');
  });

  test('<ConversationRelaySession> in <Connect>', () => {
    const r = new VoiceResponse();
    r.connect().conversationRelaySession({ connector: 'connector-1', sessionConfiguration: 'sessionConfiguration-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><ConversationRelaySession connector="connector-1" sessionConfiguration="sessionConfiguration-1"/></Connect></Response>');
  });

  test('<Dial>', () => {
    const r = new VoiceResponse();
    const node = r.dial({ action: 'https://example.com/cb?a=1&b=2', answerOnBridge: true, callerId: 'callerId-1', events: 'call-progress-event', hangupOnStar: true, method: 'POST', passports: 'passports-1', record: 'record-from-answer', recordingConfigurationId: 'recordingConfigurationId-1', recordingStatusCallback: 'https://example.com/cb?a=1&b=2', recordingStatusCallbackEvent: ['in-progress', 'completed'], recordingStatusCallbackMethod: 'POST', recordingTrack: 'inbound', referMethod: 'POST', referUrl: 'https://example.com/cb?a=1&b=2', ringTone: 'au', sequential: true, timeLimit: 5, timeout: 5, trim: 'do-not-trim' }, 'Dial text');
    node.application('Application');
    node.client('Client');
    node.conference('Conference');
    node.number('Number');
    node.queue('Queue');
    node.sim('Sim');
    node.sip('Sip');
    node.whatsApp('WhatsApp');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial action="https://example.com/cb?a=1&amp;b=2" answerOnBridge="true" callerId="callerId-1" events="call-progress-event" hangupOnStar="true" method="POST" passports="passports-1" record="record-from-answer" recordingConfigurationId="recordingConfigurationId-1" recordingStatusCallback="https://example.com/cb?a=1&amp;b=2" recordingStatusCallbackEvent="in-progress completed" recordingStatusCallbackMethod="POST" recordingTrack="inbound" referMethod="POST" referUrl="https://example.com/cb?a=1&amp;b=2" ringTone="au" sequential="true" timeLimit="5" timeout="5" trim="do-not-trim">Dial text<Application>Application</Application><Client>Client</Client><Conference>Conference</Conference><Number>Number</Number><Queue>Queue</Queue><Sim>Sim</Sim><Sip>Sip</Sip><WhatsApp>WhatsApp</WhatsApp></Dial></Response>');
  });

  test('<Echo>', () => {
    const r = new VoiceResponse();
    r.echo();
    expect(r.toString()).toBe(DECL +
      '<Response><Echo/></Response>');
  });

  test('<Enqueue>', () => {
    const r = new VoiceResponse();
    const node = r.enqueue({ action: 'https://example.com/cb?a=1&b=2', maxQueueSize: 5, method: 'POST', waitUrl: 'https://example.com/cb?a=1&b=2', waitUrlMethod: 'POST', workflowSid: 'workflowSid-1' }, 'Enqueue text');
    node.task('Task');
    expect(r.toString()).toBe(DECL +
      '<Response><Enqueue action="https://example.com/cb?a=1&amp;b=2" maxQueueSize="5" method="POST" waitUrl="https://example.com/cb?a=1&amp;b=2" waitUrlMethod="POST" workflowSid="workflowSid-1">Enqueue text<Task>Task</Task></Enqueue></Response>');
  });

  test('<Gather>', () => {
    const r = new VoiceResponse();
    const node = r.gather({ action: 'https://example.com/cb?a=1&b=2', actionOnEmptyResult: true, bargeIn: true, debug: true, enhanced: true, finishOnKey: 'finishOnKey-1', hints: 'hints-1', input: ['dtmf', 'speech'], language: 'am-ET', maxSpeechTime: 5, method: 'POST', numDigits: 5, partialResultCallback: 'https://example.com/cb?a=1&b=2', partialResultCallbackMethod: 'POST', profanityFilter: true, speechModel: 'speechModel-1', speechTimeout: 'speechTimeout-1', timeout: 5 });
    node.pause();
    node.play('Play');
    node.say('Say');
    expect(r.toString()).toBe(DECL +
      '<Response><Gather action="https://example.com/cb?a=1&amp;b=2" actionOnEmptyResult="true" bargeIn="true" debug="true" enhanced="true" finishOnKey="finishOnKey-1" hints="hints-1" input="dtmf speech" language="am-ET" maxSpeechTime="5" method="POST" numDigits="5" partialResultCallback="https://example.com/cb?a=1&amp;b=2" partialResultCallbackMethod="POST" profanityFilter="true" speechModel="speechModel-1" speechTimeout="speechTimeout-1" timeout="5"><Pause/><Play>Play</Play><Say>Say</Say></Gather></Response>');
  });

  test('<Hangup>', () => {
    const r = new VoiceResponse();
    const node = r.hangup();
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Hangup><Parameter/></Hangup></Response>');
  });

  test('<Header> in <Dial> <Sip> <Headers>', () => {
    const r = new VoiceResponse();
    r.dial().sip().headers().header({ name: 'name-1', value: 'value-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Sip><Headers><Header name="name-1" value="value-1"/></Headers></Sip></Dial></Response>');
  });

  test('<Headers> in <Dial> <Sip>', () => {
    const r = new VoiceResponse();
    const node = r.dial().sip().headers();
    node.header();
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Sip><Headers><Header/></Headers></Sip></Dial></Response>');
  });

  test('<Identity> in <Dial> <Client>', () => {
    const r = new VoiceResponse();
    r.dial().client().identity('Identity text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Client><Identity>Identity text</Identity></Client></Dial></Response>');
  });

  test('<Language> in <Connect> <ConversationRelay>', () => {
    const r = new VoiceResponse();
    r.connect().conversationRelay().language({ code: 'code-1', speechModel: 'speechModel-1', transcriptionProvider: 'transcriptionProvider-1', ttsProvider: 'ttsProvider-1', voice: 'voice-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><ConversationRelay><Language code="code-1" speechModel="speechModel-1" transcriptionProvider="transcriptionProvider-1" ttsProvider="ttsProvider-1" voice="voice-1"/></ConversationRelay></Connect></Response>');
  });

  test('<Leave>', () => {
    const r = new VoiceResponse();
    r.leave();
    expect(r.toString()).toBe(DECL +
      '<Response><Leave/></Response>');
  });

  test('<Number> in <Dial>', () => {
    const r = new VoiceResponse();
    r.dial().number({ amdStatusCallback: 'https://example.com/cb?a=1&b=2', amdStatusCallbackMethod: 'POST', byoc: 'byoc-1', machineDetection: 'machineDetection-1', machineDetectionSilenceTimeout: 5, machineDetectionSpeechEndThreshold: 5, machineDetectionSpeechThreshold: 5, machineDetectionTimeout: 5, method: 'POST', sendDigits: 'sendDigits-1', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['initiated', 'ringing'], statusCallbackMethod: 'POST', url: 'https://example.com/cb?a=1&b=2' }, 'Number text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Number amdStatusCallback="https://example.com/cb?a=1&amp;b=2" amdStatusCallbackMethod="POST" byoc="byoc-1" machineDetection="machineDetection-1" machineDetectionSilenceTimeout="5" machineDetectionSpeechEndThreshold="5" machineDetectionSpeechThreshold="5" machineDetectionTimeout="5" method="POST" sendDigits="sendDigits-1" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="initiated ringing" statusCallbackMethod="POST" url="https://example.com/cb?a=1&amp;b=2">Number text</Number></Dial></Response>');
  });

  test('<Parameter> in <Hangup>', () => {
    const r = new VoiceResponse();
    r.hangup().parameter({ name: 'name-1', value: 'value-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Hangup><Parameter name="name-1" value="value-1"/></Hangup></Response>');
  });

  test('<Pause>', () => {
    const r = new VoiceResponse();
    r.pause({ length: 5 });
    expect(r.toString()).toBe(DECL +
      '<Response><Pause length="5"/></Response>');
  });

  test('<Pay>', () => {
    const r = new VoiceResponse();
    const node = r.pay({ action: 'https://example.com/cb?a=1&b=2', bankAccountType: 'consumer-savings', chargeAmount: 'chargeAmount-1', currency: 'currency-1', description: 'description-1', input: 'dtmf', language: 'en-AU', maxAttempts: 5, minPostalCodeLength: 5, paymentConnector: 'paymentConnector-1', paymentMethod: 'credit-card', postalCode: 'postalCode-1', securityCode: true, statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackMethod: 'POST', timeout: 5, tokenType: 'reusable', validCardTypes: ['visa', 'mastercard'] });
    node.parameter();
    node.prompt();
    expect(r.toString()).toBe(DECL +
      '<Response><Pay action="https://example.com/cb?a=1&amp;b=2" bankAccountType="consumer-savings" chargeAmount="chargeAmount-1" currency="currency-1" description="description-1" input="dtmf" language="en-AU" maxAttempts="5" minPostalCodeLength="5" paymentConnector="paymentConnector-1" paymentMethod="credit-card" postalCode="postalCode-1" securityCode="true" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackMethod="POST" timeout="5" tokenType="reusable" validCardTypes="visa mastercard"><Parameter/><Prompt/></Pay></Response>');
  });

  test('<Play>', () => {
    const r = new VoiceResponse();
    r.play({ digits: 'digits-1', loop: 5 }, 'Play text');
    expect(r.toString()).toBe(DECL +
      '<Response><Play digits="digits-1" loop="5">Play text</Play></Response>');
  });

  test('<Prompt>', () => {
    const r = new VoiceResponse();
    const node = r.prompt({ attempt: [1, 2], cardType: ['visa', 'mastercard'], errorType: ['timeout', 'invalid-card-number'], for: 'expiration-date', requireMatchingInputs: true });
    node.pause();
    node.play('Play');
    node.say('Say');
    expect(r.toString()).toBe(DECL +
      '<Response><Prompt attempt="1 2" cardType="visa mastercard" errorType="timeout invalid-card-number" for="expiration-date" requireMatchingInputs="true"><Pause/><Play>Play</Play><Say>Say</Say></Prompt></Response>');
  });

  test('<Queue>', () => {
    const r = new VoiceResponse();
    r.queue({ method: 'POST', postWorkActivitySid: 'postWorkActivitySid-1', reservationSid: 'reservationSid-1', url: 'https://example.com/cb?a=1&b=2' }, 'Queue text');
    expect(r.toString()).toBe(DECL +
      '<Response><Queue method="POST" postWorkActivitySid="postWorkActivitySid-1" reservationSid="reservationSid-1" url="https://example.com/cb?a=1&amp;b=2">Queue text</Queue></Response>');
  });

  test('<Record>', () => {
    const r = new VoiceResponse();
    r.record({ action: 'https://example.com/cb?a=1&b=2', finishOnKey: 'finishOnKey-1', maxLength: 5, method: 'POST', playBeep: true, recordingConfigurationId: 'recordingConfigurationId-1', recordingStatusCallback: 'https://example.com/cb?a=1&b=2', recordingStatusCallbackEvent: ['in-progress', 'completed'], recordingStatusCallbackMethod: 'POST', timeout: 5, transcribe: true, transcribeCallback: 'https://example.com/cb?a=1&b=2', trim: 'do-not-trim' });
    expect(r.toString()).toBe(DECL +
      '<Response><Record action="https://example.com/cb?a=1&amp;b=2" finishOnKey="finishOnKey-1" maxLength="5" method="POST" playBeep="true" recordingConfigurationId="recordingConfigurationId-1" recordingStatusCallback="https://example.com/cb?a=1&amp;b=2" recordingStatusCallbackEvent="in-progress completed" recordingStatusCallbackMethod="POST" timeout="5" transcribe="true" transcribeCallback="https://example.com/cb?a=1&amp;b=2" trim="do-not-trim"/></Response>');
  });

  test('<Recording> in <Start>', () => {
    const r = new VoiceResponse();
    r.start().recording({ channels: 'dual', recordingConfigurationId: 'recordingConfigurationId-1', recordingStatusCallback: 'https://example.com/cb?a=1&b=2', recordingStatusCallbackEvent: ['in-progress', 'completed'], recordingStatusCallbackMethod: 'POST', track: 'outbound', trim: 'do-not-trim' });
    expect(r.toString()).toBe(DECL +
      '<Response><Start><Recording channels="dual" recordingConfigurationId="recordingConfigurationId-1" recordingStatusCallback="https://example.com/cb?a=1&amp;b=2" recordingStatusCallbackEvent="in-progress completed" recordingStatusCallbackMethod="POST" track="outbound" trim="do-not-trim"/></Start></Response>');
  });

  test('<Redirect>', () => {
    const r = new VoiceResponse();
    r.redirect({ method: 'POST' }, 'Redirect text');
    expect(r.toString()).toBe(DECL +
      '<Response><Redirect method="POST">Redirect text</Redirect></Response>');
  });

  test('<Refer>', () => {
    const r = new VoiceResponse();
    const node = r.refer({ action: 'https://example.com/cb?a=1&b=2', method: 'POST' });
    node.sip('Sip');
    expect(r.toString()).toBe(DECL +
      '<Response><Refer action="https://example.com/cb?a=1&amp;b=2" method="POST"><Sip>Sip</Sip></Refer></Response>');
  });

  test('<Sip> in <Refer>', () => {
    const r = new VoiceResponse();
    r.refer().sip('Sip text');
    expect(r.toString()).toBe(DECL +
      '<Response><Refer><Sip>Sip text</Sip></Refer></Response>');
  });

  test('<Reject>', () => {
    const r = new VoiceResponse();
    const node = r.reject({ reason: 'busy' });
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Reject reason="busy"><Parameter/></Reject></Response>');
  });

  test('<Room> in <Connect>', () => {
    const r = new VoiceResponse();
    r.connect().room({ participantIdentity: 'participantIdentity-1' }, 'Room text');
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><Room participantIdentity="participantIdentity-1">Room text</Room></Connect></Response>');
  });

  test('<Say>', () => {
    const r = new VoiceResponse();
    const node = r.say({ language: 'am-ET', loop: 5, voice: 'woman' }, 'Say text');
    node.break();
    node.emphasis('emphasis');
    node.lang('lang');
    node.p('p');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.s('s');
    node.sayAs('say-as');
    node.sub('sub');
    node.w('w');
    expect(r.toString()).toBe(DECL +
      '<Response><Say language="am-ET" loop="5" voice="woman">Say text<break/><emphasis>emphasis</emphasis><lang>lang</lang><p>p</p><phoneme>phoneme</phoneme><prosody>prosody</prosody><s>s</s><say-as>say-as</say-as><sub>sub</sub><w>w</w></Say></Response>');
  });

  test('<Sim> in <Dial>', () => {
    const r = new VoiceResponse();
    r.dial().sim('Sim text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Sim>Sim text</Sim></Dial></Response>');
  });

  test('<Sip> in <Dial>', () => {
    const r = new VoiceResponse();
    const node = r.dial().sip({ amdStatusCallback: 'https://example.com/cb?a=1&b=2', amdStatusCallbackMethod: 'POST', machineDetection: 'machineDetection-1', machineDetectionSilenceTimeout: 5, machineDetectionSpeechEndThreshold: 5, machineDetectionSpeechThreshold: 5, machineDetectionTimeout: 5, method: 'POST', password: 'password-1', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['initiated', 'ringing'], statusCallbackMethod: 'POST', url: 'https://example.com/cb?a=1&b=2', username: 'username-1' }, 'Sip text');
    node.headers();
    node.uri('Uri');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Sip amdStatusCallback="https://example.com/cb?a=1&amp;b=2" amdStatusCallbackMethod="POST" machineDetection="machineDetection-1" machineDetectionSilenceTimeout="5" machineDetectionSpeechEndThreshold="5" machineDetectionSpeechThreshold="5" machineDetectionTimeout="5" method="POST" password="password-1" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="initiated ringing" statusCallbackMethod="POST" url="https://example.com/cb?a=1&amp;b=2" username="username-1">Sip text<Headers/><Uri>Uri</Uri></Sip></Dial></Response>');
  });

  test('<Uri> in <Dial> <Sip>', () => {
    const r = new VoiceResponse();
    r.dial().sip().uri({ password: 'password-1', priority: 'priority-1', username: 'username-1', weight: 'weight-1' }, 'Uri text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><Sip><Uri password="password-1" priority="priority-1" username="username-1" weight="weight-1">Uri text</Uri></Sip></Dial></Response>');
  });

  test('<Siprec> in <Start>', () => {
    const r = new VoiceResponse();
    const node = r.start().siprec({ connectorName: 'connectorName-1', name: 'name-1', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackMethod: 'POST', track: 'outbound_track' });
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Start><Siprec connectorName="connectorName-1" name="name-1" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackMethod="POST" track="outbound_track"><Parameter/></Siprec></Start></Response>');
  });

  test('<Sms>', () => {
    const r = new VoiceResponse();
    r.sms({ action: 'https://example.com/cb?a=1&b=2', from: 'from-1', method: 'POST', statusCallback: 'https://example.com/cb?a=1&b=2', to: 'to-1' }, 'Sms text');
    expect(r.toString()).toBe(DECL +
      '<Response><Sms action="https://example.com/cb?a=1&amp;b=2" from="from-1" method="POST" statusCallback="https://example.com/cb?a=1&amp;b=2" to="to-1">Sms text</Sms></Response>');
  });

  test('<break> in <Say>', () => {
    const r = new VoiceResponse();
    r.say().break({ strength: 'x-weak', time: 'time-1' });
    expect(r.toString()).toBe(DECL +
      '<Response><Say><break strength="x-weak" time="time-1"/></Say></Response>');
  });

  test('<emphasis> in <Say>', () => {
    const r = new VoiceResponse();
    const node = r.say().emphasis({ level: 'moderate' }, 'emphasis text');
    node.break();
    node.emphasis('emphasis');
    node.lang('lang');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.sayAs('say-as');
    node.sub('sub');
    node.w('w');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><emphasis level="moderate">emphasis text<break/><emphasis>emphasis</emphasis><lang>lang</lang><phoneme>phoneme</phoneme><prosody>prosody</prosody><say-as>say-as</say-as><sub>sub</sub><w>w</w></emphasis></Say></Response>');
  });

  test('<lang> in <Say>', () => {
    const r = new VoiceResponse();
    const node = r.say().lang({ 'xml:lang': 'ar-AE' }, 'lang text');
    node.break();
    node.emphasis('emphasis');
    node.lang('lang');
    node.p('p');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.s('s');
    node.sayAs('say-as');
    node.sub('sub');
    node.w('w');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><lang xml:lang="ar-AE">lang text<break/><emphasis>emphasis</emphasis><lang>lang</lang><p>p</p><phoneme>phoneme</phoneme><prosody>prosody</prosody><s>s</s><say-as>say-as</say-as><sub>sub</sub><w>w</w></lang></Say></Response>');
  });

  test('<p> in <Say>', () => {
    const r = new VoiceResponse();
    const node = r.say().p('p text');
    node.break();
    node.emphasis('emphasis');
    node.lang('lang');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.s('s');
    node.sayAs('say-as');
    node.sub('sub');
    node.w('w');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><p>p text<break/><emphasis>emphasis</emphasis><lang>lang</lang><phoneme>phoneme</phoneme><prosody>prosody</prosody><s>s</s><say-as>say-as</say-as><sub>sub</sub><w>w</w></p></Say></Response>');
  });

  test('<phoneme> in <Say>', () => {
    const r = new VoiceResponse();
    r.say().phoneme({ alphabet: 'x-sampa', ph: 'ph-1' }, 'phoneme text');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><phoneme alphabet="x-sampa" ph="ph-1">phoneme text</phoneme></Say></Response>');
  });

  test('<prosody> in <Say>', () => {
    const r = new VoiceResponse();
    const node = r.say().prosody({ pitch: 'pitch-1', rate: 'rate-1', volume: 'volume-1' }, 'prosody text');
    node.break();
    node.emphasis('emphasis');
    node.lang('lang');
    node.p('p');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.s('s');
    node.sayAs('say-as');
    node.sub('sub');
    node.w('w');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><prosody pitch="pitch-1" rate="rate-1" volume="volume-1">prosody text<break/><emphasis>emphasis</emphasis><lang>lang</lang><p>p</p><phoneme>phoneme</phoneme><prosody>prosody</prosody><s>s</s><say-as>say-as</say-as><sub>sub</sub><w>w</w></prosody></Say></Response>');
  });

  test('<s> in <Say>', () => {
    const r = new VoiceResponse();
    const node = r.say().s('s text');
    node.break();
    node.emphasis('emphasis');
    node.lang('lang');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.sayAs('say-as');
    node.sub('sub');
    node.w('w');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><s>s text<break/><emphasis>emphasis</emphasis><lang>lang</lang><phoneme>phoneme</phoneme><prosody>prosody</prosody><say-as>say-as</say-as><sub>sub</sub><w>w</w></s></Say></Response>');
  });

  test('<say-as> in <Say>', () => {
    const r = new VoiceResponse();
    r.say().sayAs({ format: 'dmy', 'interpret-as': 'spell-out' }, 'say-as text');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><say-as format="dmy" interpret-as="spell-out">say-as text</say-as></Say></Response>');
  });

  test('<sub> in <Say>', () => {
    const r = new VoiceResponse();
    r.say().sub({ alias: 'alias-1' }, 'sub text');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><sub alias="alias-1">sub text</sub></Say></Response>');
  });

  test('<w> in <Say>', () => {
    const r = new VoiceResponse();
    const node = r.say().w({ role: 'role-1' }, 'w text');
    node.break();
    node.emphasis('emphasis');
    node.phoneme('phoneme');
    node.prosody('prosody');
    node.sayAs('say-as');
    node.sub('sub');
    expect(r.toString()).toBe(DECL +
      '<Response><Say><w role="role-1">w text<break/><emphasis>emphasis</emphasis><phoneme>phoneme</phoneme><prosody>prosody</prosody><say-as>say-as</say-as><sub>sub</sub></w></Say></Response>');
  });

  test('<Start>', () => {
    const r = new VoiceResponse();
    const node = r.start({ action: 'https://example.com/cb?a=1&b=2', method: 'POST' });
    node.recording();
    node.siprec();
    node.stream();
    node.transcription();
    expect(r.toString()).toBe(DECL +
      '<Response><Start action="https://example.com/cb?a=1&amp;b=2" method="POST"><Recording/><Siprec/><Stream/><Transcription/></Start></Response>');
  });

  test('<Stop>', () => {
    const r = new VoiceResponse();
    const node = r.stop();
    node.siprec();
    node.stream();
    node.transcription();
    expect(r.toString()).toBe(DECL +
      '<Response><Stop><Siprec/><Stream/><Transcription/></Stop></Response>');
  });

  test('<Stream> in <Connect>', () => {
    const r = new VoiceResponse();
    const node = r.connect().stream({ audioFormat: 'audioFormat-1', connectorName: 'connectorName-1', name: 'name-1', sampleRate: 'sampleRate-1', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackMethod: 'POST', track: 'outbound_track', url: 'https://example.com/cb?a=1&b=2' });
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><Stream audioFormat="audioFormat-1" connectorName="connectorName-1" name="name-1" sampleRate="sampleRate-1" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackMethod="POST" track="outbound_track" url="https://example.com/cb?a=1&amp;b=2"><Parameter/></Stream></Connect></Response>');
  });

  test('<Task> in <Enqueue>', () => {
    const r = new VoiceResponse();
    r.enqueue().task({ priority: 5, timeout: 5 }, 'Task text');
    expect(r.toString()).toBe(DECL +
      '<Response><Enqueue><Task priority="5" timeout="5">Task text</Task></Enqueue></Response>');
  });

  test('<Transcription> in <Start>', () => {
    const r = new VoiceResponse();
    const node = r.start().transcription({ enableAutomaticPunctuation: true, hints: 'hints-1', inboundTrackLabel: 'inboundTrackLabel-1', intelligenceService: 'intelligenceService-1', languageCode: 'languageCode-1', name: 'name-1', outboundTrackLabel: 'outboundTrackLabel-1', partialResults: true, profanityFilter: true, speechModel: 'speechModel-1', statusCallbackMethod: 'POST', statusCallbackUrl: 'https://example.com/cb?a=1&b=2', track: 'outbound_track', transcriptionEngine: 'transcriptionEngine-1' });
    node.config();
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Start><Transcription enableAutomaticPunctuation="true" hints="hints-1" inboundTrackLabel="inboundTrackLabel-1" intelligenceService="intelligenceService-1" languageCode="languageCode-1" name="name-1" outboundTrackLabel="outboundTrackLabel-1" partialResults="true" profanityFilter="true" speechModel="speechModel-1" statusCallbackMethod="POST" statusCallbackUrl="https://example.com/cb?a=1&amp;b=2" track="outbound_track" transcriptionEngine="transcriptionEngine-1"><Config/><Parameter/></Transcription></Start></Response>');
  });

  test('<VirtualAgent> in <Connect>', () => {
    const r = new VoiceResponse();
    const node = r.connect().virtualAgent({ connectorName: 'connectorName-1', language: 'language-1', sentimentAnalysis: true, statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackMethod: 'POST' });
    node.config();
    node.parameter();
    expect(r.toString()).toBe(DECL +
      '<Response><Connect><VirtualAgent connectorName="connectorName-1" language="language-1" sentimentAnalysis="true" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackMethod="POST"><Config/><Parameter/></VirtualAgent></Connect></Response>');
  });

  test('<WhatsApp> in <Dial>', () => {
    const r = new VoiceResponse();
    r.dial().whatsApp({ method: 'POST', statusCallback: 'https://example.com/cb?a=1&b=2', statusCallbackEvent: ['initiated', 'ringing'], statusCallbackMethod: 'POST', url: 'https://example.com/cb?a=1&b=2' }, 'WhatsApp text');
    expect(r.toString()).toBe(DECL +
      '<Response><Dial><WhatsApp method="POST" statusCallback="https://example.com/cb?a=1&amp;b=2" statusCallbackEvent="initiated ringing" statusCallbackMethod="POST" url="https://example.com/cb?a=1&amp;b=2">WhatsApp text</WhatsApp></Dial></Response>');
  });

  test('<Body> in <Message>', () => {
    const r = new MessagingResponse();
    r.message().body('Body text');
    expect(r.toString()).toBe(DECL +
      '<Response><Message><Body>Body text</Body></Message></Response>');
  });

  test('<Media> in <Message>', () => {
    const r = new MessagingResponse();
    r.message().media('Media text');
    expect(r.toString()).toBe(DECL +
      '<Response><Message><Media>Media text</Media></Message></Response>');
  });

  test('<Message>', () => {
    const r = new MessagingResponse();
    const node = r.message({ action: 'https://example.com/cb?a=1&b=2', from: 'from-1', method: 'POST', statusCallback: 'https://example.com/cb?a=1&b=2', to: 'to-1' }, 'Message text');
    node.body('Body');
    node.media('Media');
    expect(r.toString()).toBe(DECL +
      '<Response><Message action="https://example.com/cb?a=1&amp;b=2" from="from-1" method="POST" statusCallback="https://example.com/cb?a=1&amp;b=2" to="to-1">Message text<Body>Body</Body><Media>Media</Media></Message></Response>');
  });

  test('<Receive>', () => {
    const r = new FaxResponse();
    r.receive({ action: 'https://example.com/cb?a=1&b=2', mediaType: 'image/tiff', method: 'POST', pageSize: 'legal', storeMedia: true });
    expect(r.toString()).toBe(DECL +
      '<Response><Receive action="https://example.com/cb?a=1&amp;b=2" mediaType="image/tiff" method="POST" pageSize="legal" storeMedia="true"/></Response>');
  });
});
