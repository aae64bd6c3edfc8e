/** One PHP request variable: a scalar, or a one-level array whose keys keep their arrival order. */
export type PhpValue = string | ReadonlyMap<string, string>;

/**
 * Request variables as PHP's `$_GET` / `$_REQUEST` saw them, because twimlet URLs are written
 * in that dialect: `Name[]=a&Name[]=b`, `Name[0]=a`, `Options[12]=url`. A later scalar replaces
 * an array and the reverse, like PHP; deeper nesting (`a[b][c]`) is kept at its first level.
 */
export class PhpParams {
  readonly #values: ReadonlyMap<string, PhpValue>;

  constructor(values: ReadonlyMap<string, PhpValue>) {
    this.#values = values;
  }

  static fromPairs(pairs: Iterable<readonly [string, string]>): PhpParams {
    const values = new Map<string, string | Map<string, string>>();
    const nextIndex = new Map<string, number>();
    for (const [rawKey, value] of pairs) {
      const match = /^([^[]+)\[([^\]]*)\]/.exec(rawKey);
      if (!match) {
        values.set(rawKey, value);
        nextIndex.delete(rawKey);
        continue;
      }
      const name = match[1] as string;
      let index = match[2] as string;
      let array = values.get(name);
      if (!(array instanceof Map)) {
        array = new Map();
        values.set(name, array);
        nextIndex.set(name, 0);
      }
      const next = nextIndex.get(name) ?? 0;
      if (index === '') index = String(next);
      // PHP turns canonical integer keys into integers, which moves the `[]` counter past them.
      if (/^(0|-?[1-9]\d{0,15})$/.test(index)) nextIndex.set(name, Math.max(next, Number(index) + 1));
      array.set(index, value);
    }
    return new PhpParams(values);
  }

  /** PHP's `$_REQUEST`: the query first, then the POST body, whose keys replace the query's. */
  static merge(first: PhpParams, second: PhpParams): PhpParams {
    return new PhpParams(new Map([...first.#values, ...second.#values]));
  }

  /** `isset($p[name])`. */
  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The scalar value, or '' when missing or an array (where PHP would read "Array" or null). */
  str(name: string): string {
    const value = this.#values.get(name);
    return typeof value === 'string' ? value : '';
  }

  /** The array's entries in arrival order, or undefined when the variable is not an array. */
  array(name: string): ReadonlyArray<readonly [string, string]> | undefined {
    const value = this.#values.get(name);
    return value instanceof Map ? [...value] : undefined;
  }

  /** Array values, a scalar as a one-element list, nothing as an empty list; empty entries dropped (`array_filter`). */
  list(name: string): string[] {
    const value = this.#values.get(name);
    const values = value === undefined ? [] : typeof value === 'string' ? [value] : [...value.values()];
    return values.filter(isTruthy);
  }
}

/** PHP truthiness of a string: '' and '0' are false. */
export function isTruthy(value: string): boolean {
  return value !== '' && value !== '0';
}

/** PHP `urlencode`: RFC 1738 style, spaces as `+`, only `-_.` and alphanumerics left alone. */
export function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** PHP `stripslashes`: `\x` becomes `x`, `\\` becomes `\`. */
export function stripslashes(value: string): string {
  return value.replace(/\\(.?)/gs, '$1');
}
