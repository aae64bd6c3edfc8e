import twilio from 'twilio';
import { VoiceResponse } from '../src/twiml';

// Documents per second for three document shapes, built by our builder, by a hand-written template string
// (the floor any builder pays on top of) and by twilio-node's VoiceResponse, all in one run.

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
// The three builders are measured in interleaved rounds and each reports its median round, so a burst of load
// from other processes on a shared machine skews one round of all three rather than one builder's figure.
const ROUNDS = 5;
const TIME_BUDGET_MS = 250;
const MAX_ITERATIONS = 5_000_000;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Build = () => string;
interface Case {
  name: string;
  ours: Build;
  template: Build;
  helper: Build;
}

const SAY = 'Thanks for calling & welcome.';

const oneSay: Case = {
  name: 'one Say',
  ours: () => {
    const r = new VoiceResponse();
    r.say({ voice: 'alice' }, SAY);
    return r.toString();
  },
  template: () => `${DECL}<Response><Say voice="alice">${esc(SAY)}</Say></Response>`,
  helper: () => {
    const r = new twilio.twiml.VoiceResponse();
    r.say({ voice: 'alice' }, SAY);
    return r.toString();
  },
};

const MENU = 'Press 1 for sales, 2 for support.';
const ivr: Case = {
  name: 'IVR (Gather+Say, Dial+2 Number)',
  ours: () => {
    const r = new VoiceResponse();
    r.gather({ input: ['dtmf', 'speech'], action: '/menu', numDigits: 1, timeout: 5 }).say({ voice: 'alice' }, MENU);
    const dial = r.dial({ callerId: '+15550001111', timeout: 20 });
    dial.number('+15551112222');
    dial.number('+15553334444');
    return r.toString();
  },
  template: () =>
    `${DECL}<Response><Gather input="dtmf speech" action="/menu" numDigits="1" timeout="5">` +
    `<Say voice="alice">${esc(MENU)}</Say></Gather><Dial callerId="+15550001111" timeout="20">` +
    `<Number>${esc('+15551112222')}</Number><Number>${esc('+15553334444')}</Number></Dial></Response>`,
  helper: () => {
    const r = new twilio.twiml.VoiceResponse();
    r.gather({ input: ['dtmf', 'speech'], action: '/menu', numDigits: 1, timeout: 5 }).say({ voice: 'alice' }, MENU);
    const dial = r.dial({ callerId: '+15550001111', timeout: 20 });
    dial.number('+15551112222');
    dial.number('+15553334444');
    return r.toString();
  },
};

// 100 verbs cycling through five shapes; written once against a minimal interface both builders satisfy.
interface VerbSink {
  say(a: { voice: 'alice' }, t: string): unknown;
  play(a: { loop: number }, t: string): unknown;
  pause(a: { length: number }): unknown;
  redirect(a: { method: string }, t: string): unknown;
  hangup(): unknown;
}
function hundred(r: VerbSink): void {
  for (let i = 0; i < 100; i++) {
    switch (i % 5) {
      case 0: r.say({ voice: 'alice' }, `Message number ${i} & more`); break;
      case 1: r.play({ loop: 2 }, `https://example.com/${i}.mp3`); break;
      case 2: r.pause({ length: 1 }); break;
      case 3: r.redirect({ method: 'POST' }, `/step?n=${i}&x=1`); break;
      default: r.hangup();
    }
  }
}
const hundredVerbs: Case = {
  name: '100 verbs',
  ours: () => {
    const r = new VoiceResponse();
    hundred(r);
    return r.toString();
  },
  template: () => {
    let out = `${DECL}<Response>`;
    for (let i = 0; i < 100; i++) {
      switch (i % 5) {
        case 0: out += `<Say voice="alice">${esc(`Message number ${i} & more`)}</Say>`; break;
        case 1: out += `<Play loop="2">${esc(`https://example.com/${i}.mp3`)}</Play>`; break;
        case 2: out += '<Pause length="1"/>'; break;
        case 3: out += `<Redirect method="POST">${esc(`/step?n=${i}&x=1`)}</Redirect>`; break;
        default: out += '<Hangup/>';
      }
    }
    return out + '</Response>';
  },
  helper: () => {
    const r = new twilio.twiml.VoiceResponse();
    hundred(r as unknown as VerbSink);
    return r.toString();
  },
};

/** Runs `build` for about TIME_BUDGET_MS (never more than MAX_ITERATIONS) and returns documents/second. */
function measure(build: Build): number {
  let iterations = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(TIME_BUDGET_MS) * 1_000_000n;
  let now = start;
  while (now < deadline && iterations < MAX_ITERATIONS) {
    for (let i = 0; i < 100; i++) sink += build().length;
    iterations += 100;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('benchmark produced nothing');
  return iterations / (Number(now - start) / 1e9);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Median documents/second of each builder over ROUNDS interleaved rounds. */
function compare(builds: Build[]): number[] {
  for (const build of builds) for (let i = 0; i < 2000; i++) build();
  const rounds: number[][] = builds.map(() => []);
  for (let round = 0; round < ROUNDS; round++) builds.forEach((build, i) => rounds[i]!.push(measure(build)));
  return rounds.map(median);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);

function main(): void {
  console.log(`TwiML builder benchmark (Node ${process.version}, docs/s, median of ${ROUNDS} interleaved ` +
    `~${TIME_BUDGET_MS} ms rounds)`);
  console.log(`${'case'.padEnd(34)}${'ours'.padStart(12)}${'template'.padStart(12)}${'helper'.padStart(12)}` +
    `${'ours/tmpl'.padStart(11)}${'ours/helper'.padStart(13)}`);
  for (const c of [oneSay, ivr, hundredVerbs]) {
    const expected = c.helper();
    if (c.ours() !== expected || c.template() !== expected) throw new Error(`${c.name}: builders disagree`);
    const [ours, template, helper] = compare([c.ours, c.template, c.helper]) as [number, number, number];
    console.log(`${c.name.padEnd(34)}${fmt(ours)}${fmt(template)}${fmt(helper)}` +
      `${(ours / template).toFixed(2).padStart(10)}x${(ours / helper).toFixed(2).padStart(12)}x`);
  }
}

main();
