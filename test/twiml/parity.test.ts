import fc from 'fast-check';
import twilio from 'twilio';
import { FaxResponse, MessagingResponse, TwimlResponse, VoiceResponse } from '../../src/twiml';
import { ROOTS, type RootKey, TABLE, call, interpret, pathTo, sampleAttributes } from './helpers';
import { parityOps } from './arbitraries';

// Our builder against the official helper (devDependency only), over every element of the table.

const ours: Record<RootKey, new () => object> = { VoiceResponse, MessagingResponse, FaxResponse };
const official: Record<RootKey, new () => object> = {
  VoiceResponse: twilio.twiml.VoiceResponse,
  MessagingResponse: twilio.twiml.MessagingResponse,
  FaxResponse: twilio.twiml.FaxResponse,
};

/** Builds `key` at the end of its path, in both call forms, with every attribute and every child. */
function buildFull(Root: new () => object, key: string): string {
  const { steps } = pathTo(key);
  const root = new Root();
  let parent: unknown = root;
  for (const step of steps.slice(0, -1)) parent = call(parent, step.method);
  const last = steps[steps.length - 1]!;
  const spec = TABLE[key]!;
  const node = spec.text
    ? call(parent, last.method, sampleAttributes(key), 'Text & <more> "quoted"')
    : call(parent, last.method, sampleAttributes(key));
  for (const [method, child] of Object.entries(spec.children ?? {})) {
    if (TABLE[child]!.text) call(node, method, 'child text');
    else call(node, method);
  }
  if (spec.text) call(parent, last.method, 'text-only form');
  call(parent, last.method);
  return root.toString();
}

const elementKeys = Object.keys(TABLE).filter((key) => !(ROOTS as readonly string[]).includes(key));

describe('parity with twilio-node for every element', () => {
  test.each(elementKeys)('<%s>', (key) => {
    const { root } = pathTo(key);
    expect(buildFull(ours[root], key)).toBe(buildFull(official[root], key));
  });

  test.each(ROOTS)('empty %s', (root) => {
    expect(new ours[root]().toString()).toBe(new official[root]().toString());
  });

  const ownMethods = (proto: object): string[] =>
    Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor' && !m.startsWith('_')).sort();

  test.each(ROOTS)('%s offers the same methods as the official class', (root) => {
    const inherited = ownMethods(TwimlResponse.prototype).filter((m) => m !== 'toString');
    const mine = [...ownMethods(ours[root].prototype), ...inherited].sort();
    expect(mine).toEqual(ownMethods(official[root].prototype));
  });

  test.each(elementKeys)('<%s> offers the same methods as the official class', (key) => {
    const reach = (Root: new () => object): object => {
      let node: unknown = new Root();
      for (const step of pathTo(key).steps) node = call(node, step.method);
      return Object.getPrototypeOf(node) as object;
    };
    const { root } = pathTo(key);
    expect(ownMethods(reach(ours[root]))).toEqual(ownMethods(reach(official[root])));
  });
});

describe('parity with twilio-node on random documents', () => {
  test.each(ROOTS)('%s', (root) => {
    fc.assert(
      fc.property(parityOps, (ops) => {
        const mine = new ours[root]();
        const theirs = new official[root]();
        interpret(root, ops, [mine, theirs]);
        expect(mine.toString()).toBe(theirs.toString());
      }),
      { numRuns: 300 },
    );
  });
});
