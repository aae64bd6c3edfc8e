import type { FlowNode, NodeRef } from './types';

/** One way out of a node: the field that names the next node, what takes the call there, and where. */
export interface NodeExit {
  /** The JSON path below the node, as config errors name it: `options.1`, `fallback`. */
  readonly field: string;
  /** When the call goes this way, in a few words: `1 · "sales"`, `closed`. */
  readonly label: string;
  readonly to: NodeRef;
}

/** Dial outcomes that take a dial node's fallback (voice-flow.ts's UNANSWERED). */
export const FALLBACK_LABEL = 'no answer / busy / failed';
export const DEFAULT_LABEL = 'invalid / no input';

/**
 * Every field of every node type that names another node. Reference checks and the flow diagram
 * both read the exits from here, so a new field cannot be drawn but not checked, or the reverse.
 */
export function nodeExits(node: FlowNode): NodeExit[] {
  switch (node.type) {
    case 'menu': {
      const words = new Map<string, string[]>();
      for (const [phrase, key] of Object.entries(node.speech ?? {})) words.set(key, [...(words.get(key) ?? []), phrase]);
      const exits: NodeExit[] = Object.entries(node.options).map(([key, to]) => ({
        field: `options.${key}`,
        label: [key, ...(words.get(key) ?? []).map((phrase) => `"${phrase}"`)].join(' · '),
        to,
      }));
      if (node.default !== undefined) exits.push({ field: 'default', label: DEFAULT_LABEL, to: node.default });
      return exits;
    }
    case 'forward':
    case 'ring':
    case 'client':
      return node.fallback === undefined ? [] : [{ field: 'fallback', label: FALLBACK_LABEL, to: node.fallback }];
    case 'say':
      return node.next === undefined ? [] : [{ field: 'next', label: 'next', to: node.next }];
    case 'hours':
      return [
        { field: 'open', label: 'open', to: node.open },
        { field: 'closed', label: 'closed', to: node.closed },
      ];
    case 'voicemail':
    case 'conference':
    case 'redirect':
    case 'hangup':
      return [];
    default:
      return unreachableNode(node);
  }
}

/** A node type added to FlowNode without an entry above fails to compile here. */
function unreachableNode(node: never): never {
  throw new Error(`unknown node type ${JSON.stringify(node)}`);
}
