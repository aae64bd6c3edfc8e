import fs from 'node:fs';
import path from 'node:path';
import { nodeExits } from './exits';
import { issueMessage, settingsSchema } from './schema';
import type { FlowNode, NodeRef, SettingsFile, SmsSettings } from './types';

export const DEFAULT_SETTINGS_FILE = 'switchboard.config.json';
export const DEFAULT_GREETING = 'Hello! This is Switchboard. Your server is up and answering calls. Goodbye.';

/** The settings the app runs with: validated, inline nodes named, references checked, frozen. */
export interface Settings {
  readonly voice: {
    readonly start: string;
    /** Every node by name; node references inside are names too. */
    readonly nodes: Readonly<Record<string, FlowNode>>;
  };
  readonly sms: Readonly<SmsSettings>;
  readonly twimlets: { readonly holdMusic: Readonly<Record<string, readonly string[]>> };
}

/** A problem in the config file: one line naming the file, the JSON path and what is wrong. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/**
 * Reads the config file. A missing file is fine at the default path (built-in defaults apply)
 * but an error when the path was given explicitly.
 */
export function loadSettingsFile(file: string, explicit: boolean): Settings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) return parseSettings({}, file);
    throw new SettingsError(`${file}: cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  return parseSettings(json, path.basename(file));
}

export function parseSettings(json: unknown, source: string): Settings {
  const result = settingsSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new SettingsError(`${source}: ${where}: ${issue ? issueMessage(issue) : 'is invalid'}`);
  }
  return freeze(compile(result.data, source));
}

function compile(file: SettingsFile, source: string): Settings {
  const nodes: Record<string, FlowNode> = {};
  const fail = (where: string, problem: string): never => {
    throw new SettingsError(`${source}: ${where}: ${problem}`);
  };

  // Named nodes first, so that inline nodes cannot take a name a named node has.
  const named = file.voice?.nodes ?? {};
  for (const name of Object.keys(named)) nodes[name] = named[name] as FlowNode;

  const inline = (ref: NodeRef, name: string, where: string): string => {
    if (typeof ref === 'string') return ref;
    if (Object.hasOwn(nodes, name)) fail(where, `the inline node's generated name "${name}" is taken by a named node`);
    nodes[name] = nameChildren(ref, name, where);
    return name;
  };
  const nameChildren = (node: FlowNode, name: string, where: string): FlowNode => {
    switch (node.type) {
      case 'menu': {
        const options: Record<string, string> = {};
        for (const [key, ref] of Object.entries(node.options)) {
          options[key] = inline(ref, `${name}.${key}`, `${where}.options.${key}`);
        }
        const def = node.default && inline(node.default, `${name}.default`, `${where}.default`);
        return { ...node, options, default: def };
      }
      case 'forward':
      case 'ring':
      case 'client':
        return { ...node, fallback: node.fallback && inline(node.fallback, `${name}.fallback`, `${where}.fallback`) };
      case 'say':
        return { ...node, next: node.next && inline(node.next, `${name}.next`, `${where}.next`) };
      case 'hours':
        return {
          ...node,
          open: inline(node.open, `${name}.open`, `${where}.open`),
          closed: inline(node.closed, `${name}.closed`, `${where}.closed`),
        };
      default:
        return node;
    }
  };

  for (const name of Object.keys(named)) nodes[name] = nameChildren(named[name] as FlowNode, name, `voice.nodes.${name}`);
  const startRef: NodeRef = file.voice?.start ?? { type: 'say', message: { say: DEFAULT_GREETING } };
  const start = inline(startRef, 'start', 'voice.start');

  checkReferences(nodes, start, fail);
  return {
    voice: { start, nodes },
    sms: file.sms ?? {},
    twimlets: { holdMusic: file.twimlets?.holdMusic ?? {} },
  };
}

function checkReferences(nodes: Record<string, FlowNode>, start: string, fail: (where: string, problem: string) => never): void {
  const known = (ref: string | FlowNode | undefined, where: string) => {
    if (typeof ref === 'string' && !Object.hasOwn(nodes, ref)) fail(where, `no node is named "${ref}"`);
  };
  known(start, 'voice.start');
  for (const [name, node] of Object.entries(nodes)) {
    const where = `voice.nodes.${name}`;
    for (const exit of nodeExits(node)) known(exit.to, `${where}.${exit.field}`);
    if (node.type === 'menu') {
      for (const [words, key] of Object.entries(node.speech ?? {})) {
        if (!Object.hasOwn(node.options, key)) fail(`${where}.speech.${words}`, `"${key}" is not one of the menu's options`);
      }
    }
  }
  // Hours nodes are resolved on the server without answering the caller: a loop among them would never end.
  for (const [name, node] of Object.entries(nodes)) {
    if (node.type !== 'hours') continue;
    const path = new Set([name]);
    const walk = (ref: NodeRef) => {
      const next = nodes[ref as string];
      if (next?.type !== 'hours') return;
      if (path.has(ref as string)) fail(`voice.nodes.${name}`, 'business-hours nodes lead back to themselves');
      path.add(ref as string);
      walk(next.open);
      walk(next.closed);
      path.delete(ref as string);
    };
    walk(node.open);
    walk(node.closed);
  }
}

function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}
