import type { ElementKey, Elements } from './elements';
import type { TwimlNode } from './node';

// Everything here is computed from the ELEMENTS table, so the types cannot drift from the runtime.

type Spec<K extends ElementKey> = Elements[K];
type AttrSpecs<K extends ElementKey> = Spec<K> extends { attrs: infer A } ? A : {};
type ChildSpecs<K extends ElementKey> = Spec<K> extends { children: infer C } ? C : {};

type ScalarValue<T> = T extends 'string' ? string
  : T extends 'number' ? number
  : T extends 'boolean' ? boolean
  : T extends readonly (infer V)[] ? V
  : never;
// A list also takes a single item: twilio-node renders `'speech'` and `['speech']` the same way.
type AttrValue<T> = T extends { readonly list: infer I } ? ScalarValue<I> | readonly ScalarValue<I>[] : ScalarValue<T>;

/** Elements without typed attributes take none (use `addChild` for anything exotic). */
export type NoAttributes = { readonly [name: string]: never };

/** The attribute object of element `K`, e.g. `Attributes<'Say'>`; `null`/`undefined` values are dropped. */
export type Attributes<K extends ElementKey> = [keyof AttrSpecs<K>] extends [never]
  ? NoAttributes
  : { -readonly [A in keyof AttrSpecs<K>]?: AttrValue<AttrSpecs<K>[A]> | null };

/** Builder method for an element with text content: `(text)` or `(attributes, text)`. */
export interface TextMethod<K extends ElementKey> {
  (text?: string): TwimlElement<K>;
  (attributes: Attributes<K>, text?: string): TwimlElement<K>;
}
/** Builder method for an element without text content. */
export type AttributesMethod<K extends ElementKey> = (attributes?: Attributes<K>) => TwimlElement<K>;

type MethodFor<C> = C extends ElementKey
  ? Spec<C> extends { text: true } ? TextMethod<C> : AttributesMethod<C>
  : never;

/** One method per allowed child; a child that is not in the table has no method, so it cannot compile. */
export type ChildMethods<K extends ElementKey> = {
  readonly [M in keyof ChildSpecs<K>]: MethodFor<ChildSpecs<K>[M]>;
};

/** A built element of kind `K` (a table key such as `'Gather'` or `'SsmlSayAs'`). */
export type TwimlElement<K extends ElementKey> = TwimlNode & ChildMethods<K>;
