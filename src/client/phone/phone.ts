import { Call, Device, TwilioError } from '@twilio/voice-sdk';

/**
 * The softphone: fetches a Voice token from this server, registers with Twilio, and places and
 * takes calls. Every wait is bounded, so a network that cannot reach Twilio shows as such.
 */

/** How long registering may take before the page says Twilio cannot be reached. */
const REGISTER_TIMEOUT_MS = 10_000;
const TOKEN_TIMEOUT_MS = 10_000;
const API_KEY = 'switchboard.apiKey';
const IDENTITY = 'switchboard.identity';
/** Twilio's codes for a token it will not accept: a configuration problem, not a network one. */
const TOKEN_ERRORS = new Set([20101, 20103, 20104, 20107, 31201, 31204, 31205]);
const SOUND_NAMES = ['incoming', 'outgoing', 'disconnect', 'dtmf0', 'dtmf1', 'dtmf2', 'dtmf3', 'dtmf4', 'dtmf5', 'dtmf6', 'dtmf7', 'dtmf8', 'dtmf9', 'dtmfs', 'dtmfh'];

type State = 'signed-out' | 'fetching-token' | 'registering' | 'registered' | 'unreachable' | 'failed' | 'ringing' | 'on-call' | 'incoming';

const el = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing from phone.html`);
  return found as T;
};
const ui = {
  status: el('status'),
  login: el<HTMLFormElement>('login'),
  apiKey: el<HTMLInputElement>('api-key'),
  identity: el<HTMLInputElement>('identity'),
  phone: el('phone'),
  number: el<HTMLInputElement>('number'),
  pad: el('pad'),
  call: el<HTMLButtonElement>('call'),
  mute: el<HTMLButtonElement>('mute'),
  hangup: el<HTMLButtonElement>('hangup'),
  incoming: el('incoming'),
  incomingFrom: el('incoming-from'),
  accept: el<HTMLButtonElement>('accept'),
  reject: el<HTMLButtonElement>('reject'),
  retry: el<HTMLButtonElement>('retry'),
  signOut: el<HTMLButtonElement>('sign-out'),
};

class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let device: Device | undefined;
let activeCall: Call | undefined;
let pendingCall: Call | undefined;
let state: State = 'signed-out';

function show(next: State, text: string, detail?: string): void {
  state = next;
  ui.status.dataset.state = next;
  ui.status.textContent = text;
  if (detail !== undefined) {
    const small = document.createElement('small');
    small.textContent = detail;
    ui.status.append(small);
  }
  const registered = device !== undefined && (next === 'registered' || next === 'ringing' || next === 'on-call' || next === 'incoming');
  ui.login.hidden = next !== 'signed-out';
  ui.phone.hidden = !registered;
  ui.incoming.hidden = next !== 'incoming';
  ui.call.disabled = next !== 'registered';
  ui.mute.disabled = ui.hangup.disabled = next !== 'ringing' && next !== 'on-call';
  ui.retry.hidden = next !== 'unreachable' && next !== 'failed';
  ui.signOut.hidden = next === 'signed-out';
}

async function fetchToken(apiKey: string, identity: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch('/client/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ identity }),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
  } catch {
    throw new TokenRequestError(0, 'the server did not answer');
  }
  const body = (await res.json().catch(() => undefined)) as { token?: string; error?: { message?: string } } | undefined;
  if (!res.ok || typeof body?.token !== 'string') {
    throw new TokenRequestError(res.status, body?.error?.message ?? `HTTP ${res.status}`);
  }
  return body.token;
}

function signedOut(problem?: string): void {
  teardown();
  show('signed-out', problem ?? 'Not connected', problem === undefined ? undefined : 'Enter the API key again.');
  ui.identity.value = sessionStorage.getItem(IDENTITY) ?? ui.identity.value;
  ui.apiKey.focus();
}

function teardown(): void {
  const old = device;
  device = activeCall = pendingCall = undefined;
  old?.destroy();
}

async function connect(): Promise<void> {
  teardown();
  const apiKey = sessionStorage.getItem(API_KEY);
  const identity = sessionStorage.getItem(IDENTITY);
  if (apiKey === null || identity === null) return signedOut();

  show('fetching-token', 'Getting a token from your server…');
  let token: string;
  try {
    token = await fetchToken(apiKey, identity);
  } catch (err) {
    const { status, message } = err as TokenRequestError;
    if (status === 401) {
      sessionStorage.removeItem(API_KEY);
      return signedOut('The API key was not accepted.');
    }
    return show('failed', 'Your server gave no token', message);
  }

  // publishEvents is honoured by the SDK but missing from its public Options type.
  const options: Device.Options & { publishEvents: boolean } = {
    // Our own sounds: the SDK's defaults would be fetched from Twilio's CDN.
    sounds: Object.fromEntries(SOUND_NAMES.map((name) => [name, `/phone/sounds/${name}.wav`])),
    // Call-quality events would go to a further Twilio host; the page talks only to signalling.
    publishEvents: false,
    closeProtection: true,
    logLevel: 'warn',
  };
  const current = new Device(token, options);
  device = current;
  const isCurrent = () => device === current;

  const giveUp = (why: string) => {
    if (!isCurrent() || state !== 'registering') return;
    teardown();
    show(
      'unreachable',
      'Cannot reach Twilio',
      `This browser could not connect to Twilio (${why}). Calls need a connection to *.twilio.com on port 443; check the network or firewall, then try again.`,
    );
  };
  const timer = setTimeout(() => giveUp(`no answer within ${REGISTER_TIMEOUT_MS / 1000} seconds`), REGISTER_TIMEOUT_MS);

  current.on('registered', () => {
    clearTimeout(timer);
    if (isCurrent() && state !== 'on-call' && state !== 'ringing') show('registered', `Ready: you are "${identity}"`, 'Dial a number, or wait for a call.');
  });
  current.on('unregistered', () => {
    if (isCurrent() && state === 'registered') show('registering', 'Reconnecting to Twilio…');
  });
  current.on('error', (error: TwilioError.TwilioError) => {
    if (!isCurrent()) return;
    if (TOKEN_ERRORS.has(error.code)) {
      clearTimeout(timer);
      teardown();
      return show('failed', 'Twilio refused the token', `${error.message} (${error.code}). Check TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET.`);
    }
    if (state === 'registering') {
      clearTimeout(timer);
      return giveUp(`the connection failed with Twilio error ${error.code}`);
    }
    console.warn('Twilio Device error', error.code, error.message);
  });
  current.on('incoming', (call: Call) => onIncoming(call));
  current.on('tokenWillExpire', () => {
    fetchToken(apiKey, identity)
      .then((fresh) => isCurrent() && current.updateToken(fresh))
      .catch((err: Error) => console.warn('could not renew the token:', err.message));
  });

  show('registering', 'Connecting to Twilio…');
  current.register().catch((err: Error) => {
    clearTimeout(timer);
    giveUp(err.message);
  });
}

/** What people type, reduced to what the TwiML App accepts: +digits, or client:<identity>. */
function dialTarget(raw: string): string {
  const value = raw.trim();
  return value.startsWith('client:') ? value : value.replace(/[\s().-]/g, '');
}

async function placeCall(): Promise<void> {
  const to = dialTarget(ui.number.value);
  if (device === undefined || to === '') return;
  show('ringing', `Calling ${to}…`);
  try {
    follow(await device.connect({ params: { To: to } }), to);
  } catch (err) {
    show('registered', 'The call could not start', (err as Error).message);
  }
}

function follow(call: Call, who: string): void {
  activeCall = call;
  ui.mute.setAttribute('aria-pressed', 'false');
  ui.mute.textContent = 'Mute';
  call.on('accept', () => show('on-call', `On a call with ${who}`));
  call.on('mute', (muted: boolean) => {
    ui.mute.setAttribute('aria-pressed', String(muted));
    ui.mute.textContent = muted ? 'Unmute' : 'Mute';
  });
  const ended = (text: string) => () => {
    if (activeCall !== call) return;
    activeCall = undefined;
    if (device !== undefined) show('registered', text);
  };
  call.on('disconnect', ended('Call ended'));
  call.on('cancel', ended('Call cancelled'));
  call.on('reject', ended('Call rejected'));
  call.on('error', (error: TwilioError.TwilioError) => ended(`Call failed: ${error.message} (${error.code})`)());
}

function onIncoming(call: Call): void {
  if (activeCall !== undefined || pendingCall !== undefined) {
    call.reject();
    return;
  }
  pendingCall = call;
  const from = call.parameters.From ?? 'an unknown caller';
  ui.incomingFrom.textContent = from;
  show('incoming', 'Incoming call');
  const settle = () => {
    if (pendingCall === call) pendingCall = undefined;
  };
  call.on('cancel', () => {
    settle();
    if (state === 'incoming') show('registered', `Missed call from ${from}`);
  });
  ui.accept.onclick = () => {
    settle();
    follow(call, from);
    show('ringing', `Answering ${from}…`);
    call.accept();
  };
  ui.reject.onclick = () => {
    settle();
    call.reject();
    show('registered', `Rejected call from ${from}`);
  };
}

ui.login.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(API_KEY, ui.apiKey.value.trim());
  sessionStorage.setItem(IDENTITY, ui.identity.value.trim());
  ui.apiKey.value = '';
  void connect();
});
ui.call.addEventListener('click', () => void placeCall());
ui.number.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && state === 'registered') void placeCall();
});
ui.hangup.addEventListener('click', () => activeCall?.disconnect());
ui.mute.addEventListener('click', () => activeCall?.mute(!activeCall.isMuted()));
ui.pad.addEventListener('click', (event) => {
  const digit = (event.target as HTMLElement).dataset.digit;
  if (digit === undefined) return;
  if (activeCall !== undefined && state === 'on-call') activeCall.sendDigits(digit);
  else ui.number.value += digit;
});
ui.retry.addEventListener('click', () => void connect());
ui.signOut.addEventListener('click', () => {
  sessionStorage.removeItem(API_KEY);
  signedOut();
});

void connect();
