import { ELEMENTS, type ElementKey, type ElementSpec } from '../../src/twiml';

// Test-only helpers that walk the element table, so parity tests cover every element without a hand list.

export const TABLE: { readonly [key: string]: ElementSpec } = ELEMENTS;
export const ROOTS = ['VoiceResponse', 'MessagingResponse', 'FaxResponse'] as const;
export type RootKey = (typeof ROOTS)[number];

/** Loosely typed view of a builder node (ours or twilio-node's), for calls driven by data. */
export type Dynamic = { [method: string]: (...args: unknown[]) => Dynamic };

export function call(node: unknown, method: string, ...args: unknown[]): Dynamic {
  const fn = (node as Dynamic)[method];
  if (typeof fn !== 'function') throw new Error(`no method ${method}`);
  return fn.apply(node, args);
}

export interface Step {
  method: string;
  key: string;
}

/** Shortest chain of builder calls from a root to element `target` (breadth-first over the table). */
export function pathTo(target: string): { root: RootKey; steps: Step[] } {
  for (const root of ROOTS) {
    const queue: { key: string; steps: Step[] }[] = [{ key: root, steps: [] }];
    const seen = new Set<string>([root]);
    while (queue.length > 0) {
      const { key, steps } = queue.shift()!;
      if (key === target) return { root, steps };
      for (const [method, child] of Object.entries(TABLE[key]?.children ?? {})) {
        if (seen.has(child)) continue;
        seen.add(child);
        queue.push({ key: child, steps: [...steps, { method, key: child }] });
      }
    }
  }
  throw new Error(`unreachable element ${target}`);
}

/** A value of the right type for every attribute of `key`: URLs with `&`, enums' first values, lists of two. */
export function sampleAttributes(key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(TABLE[key]?.attrs ?? {})) {
    out[name] = sampleValue(name, type);
  }
  return out;
}

function sampleValue(name: string, type: unknown): unknown {
  if (type === 'string') {
    if (/method/i.test(name)) return 'POST';
    if (/url|callback|action/i.test(name)) return 'https://example.com/cb?a=1&b="2"';
    return `${name}-1`;
  }
  if (type === 'number') return 5;
  if (type === 'boolean') return true;
  if (Array.isArray(type)) return type[type.length > 1 ? 1 : 0];
  const list = (type as { list: unknown }).list;
  if (list === 'number') return [1, 2];
  if (Array.isArray(list)) return list.slice(0, 2);
  return ['a', 'b'];
}

export function isElementKey(key: string): key is ElementKey {
  return key in TABLE;
}

/** One random builder operation; values are picked by index so one op shape fits every element. */
export type Op =
  | { kind: 'child'; pick: number; attrMask: number; strs: string[]; nums: number[]; bools: boolean[]; text: string | null }
  | { kind: 'up' }
  | { kind: 'text'; text: string }
  | { kind: 'comment'; text: string };

/** What a parser should read back: element name, attribute strings in order, mixed content. */
export interface Model {
  tag: string;
  attrs: [string, string][];
  content: (Model | string)[];
}

/**
 * Applies `ops` to several builders at once (ours, twilio-node's) starting at `rootKey`, following only
 * edges of the table, and returns the model of the document that should come out.
 */
export function interpret(rootKey: RootKey, ops: Op[], roots: unknown[]): Model {
  const model: Model = { tag: 'Response', attrs: [], content: [] };
  const stack: { key: string; nodes: unknown[]; model: Model }[] = [{ key: rootKey, nodes: roots, model }];
  for (const op of ops) {
    const top = stack[stack.length - 1]!;
    if (op.kind === 'up') {
      if (stack.length > 1) stack.pop();
    } else if (op.kind === 'text') {
      if (op.text === '') continue;
      for (const node of top.nodes) call(node, 'addText', op.text);
      top.model.content.push(op.text);
    } else if (op.kind === 'comment') {
      if (stack.length > 1 || op.text.includes('--')) continue;
      for (const node of top.nodes) call(node, 'comment', op.text);
    } else {
      const children = Object.entries(TABLE[top.key]?.children ?? {});
      if (children.length === 0) continue;
      const [method, childKey] = children[op.pick % children.length]!;
      const spec = TABLE[childKey]!;
      const attrs: Record<string, unknown> = {};
      const modelAttrs: [string, string][] = [];
      Object.entries(spec.attrs ?? {}).forEach(([name, type], i) => {
        if ((op.attrMask & (1 << i % 30)) === 0) return;
        const value = randomValue(type, op, i);
        attrs[name] = value;
        modelAttrs.push([name, Array.isArray(value) ? value.join(' ') : String(value)]);
      });
      const args = spec.text && op.text !== null ? [attrs, op.text] : [attrs];
      const nodes = top.nodes.map((node) => call(node, method, ...args));
      const child: Model = { tag: spec.tag ?? childKey, attrs: modelAttrs, content: [] };
      if (spec.text && op.text) child.content.push(op.text);
      top.model.content.push(child);
      stack.push({ key: childKey, nodes, model: child });
    }
  }
  return model;
}

function randomValue(type: unknown, op: Extract<Op, { kind: 'child' }>, i: number): unknown {
  const str = op.strs[i % op.strs.length]!;
  if (type === 'string') return str;
  if (type === 'number') return op.nums[i % op.nums.length]!;
  if (type === 'boolean') return op.bools[i % op.bools.length]!;
  if (Array.isArray(type)) return type[(op.pick + i) % type.length];
  const list = (type as { list: unknown }).list;
  if (list === 'number') return op.nums.slice(0, 1 + (i % 3));
  if (Array.isArray(list)) return list.slice(0, 1 + (i % list.length));
  return [str, str];
}
