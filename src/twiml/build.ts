import { type ElementKey, type ElementSpec, ELEMENTS } from './elements';
import { type DocumentRoot, TwimlNode } from './node';

type NodeClass = new (doc: DocumentRoot, tag: string, attributes?: object) => TwimlNode;

const TABLE: { readonly [key: string]: ElementSpec } = ELEMENTS;

// One runtime class per table entry, so builder methods live on prototypes (fast, and named in stack traces).
const classes = new Map<string, NodeClass>();
for (const key of Object.keys(TABLE)) {
  const cls = class extends TwimlNode {};
  Object.defineProperty(cls, 'name', { value: key });
  classes.set(key, cls);
}

/** Puts one builder method per child of `key` on `prototype`. Roots call this for their own classes. */
export function installMethods(prototype: TwimlNode, key: ElementKey): void {
  for (const [method, childKey] of Object.entries(TABLE[key]?.children ?? {})) {
    const Ctor = classes.get(childKey)!;
    const tag = TABLE[childKey]?.tag ?? childKey;
    Object.defineProperty(prototype, method, {
      value: function (this: TwimlNode, first?: unknown, second?: unknown) {
        return this._append(Ctor, tag, first, second);
      },
      writable: true,
      configurable: true,
    });
  }
}

for (const [key, cls] of classes) installMethods(cls.prototype, key as ElementKey);
