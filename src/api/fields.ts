// Field rules as data, shared by the validators and their tests. Values come from JSON (typed)
// or from a form (strings, repeated keys as arrays); both are read with the same rules.
import { invalid, invalidValue, type ApiError } from './errors';
import { lostPlus, lostPlusHint } from './received';

export const E164 = /^\+[1-9]\d{1,14}$/;
export const CLIENT_ID = /^client:[A-Za-z0-9_.@-]{1,121}$/;
export const SIP_URI = /^sips?:[^\s@]+@[^\s]+$/;
export const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

export type Rule =
  | { type: 'string'; min?: number; max: number; patterns?: readonly RegExp[]; expected?: string }
  | { type: 'url' }
  | { type: 'boolean' }
  | { type: 'integer'; min: number; max: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'datetime' }
  | { type: 'list'; item: Rule; max: number };

export type Schema = Readonly<Record<string, Rule>>;

type ValueOf<R extends Rule> = R extends { type: 'boolean' }
  ? boolean
  : R extends { type: 'integer' }
    ? number
    : R extends { type: 'datetime' }
      ? Date
      : R extends { type: 'list' }
        ? string[]
        : R extends { type: 'enum'; values: readonly (infer V)[] }
          ? V
          : string;

export type Parsed<S extends Schema> = { [K in keyof S]?: ValueOf<S[K]> };

const MAX_URL_LENGTH = 2048;

function describe(rule: Rule): string {
  switch (rule.type) {
    case 'string':
      return rule.expected ?? `a string of ${rule.min ?? 1} to ${rule.max} characters`;
    case 'url':
      return 'an absolute http(s) URL';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `an integer from ${rule.min} to ${rule.max}`;
    case 'enum':
      return rule.values.length <= 8 ? `one of ${rule.values.join(', ')}` : 'a supported value (see "Place a call" in the README)';
    case 'datetime':
      return 'an ISO 8601 date-time such as 2026-01-02T15:04:05Z';
    case 'list':
      return `${describe(rule.item)}, or a list of up to ${rule.max} of them`;
  }
}

function isUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Reads one value; `undefined` when it does not satisfy the rule. */
function read(rule: Rule, raw: unknown): unknown {
  switch (rule.type) {
    case 'string':
      if (typeof raw !== 'string' || raw.length < (rule.min ?? 1) || raw.length > rule.max) return undefined;
      return rule.patterns === undefined || rule.patterns.some((p) => p.test(raw)) ? raw : undefined;
    case 'url':
      return typeof raw === 'string' && isUrl(raw) ? raw : undefined;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'integer': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d{1,9}$/.test(raw) ? Number(raw) : NaN;
      return Number.isInteger(value) && value >= rule.min && value <= rule.max ? value : undefined;
    }
    case 'enum':
      return typeof raw === 'string' && rule.values.includes(raw) ? raw : undefined;
    case 'datetime': {
      // Offset required: a local time would be read in the server's zone.
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) return undefined;
      const date = new Date(raw);
      return Number.isNaN(date.getTime()) ? undefined : date;
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.length === 0 || items.length > rule.max) return undefined;
      const values = items.map((item) => read(rule.item, item));
      return values.includes(undefined) ? undefined : values;
    }
  }
}

/** The request body as a plain object: JSON object or form fields. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('body', 'Expected the request body to be a JSON object or form fields');
  }
  return body as Record<string, unknown>;
}

/** Checks every field against the schema; unknown fields are refused, so typos do not pass silently. */
export function parseFields<S extends Schema>(input: Record<string, unknown>, schema: S): Parsed<S> {
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(schema, name)) throw invalid(name, `Unknown field \`${name}\``);
  }
  const out: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(schema)) {
    const raw = input[name];
    if (raw === undefined) continue;
    if (Array.isArray(raw) && rule.type !== 'list') throw invalidValue(name, `Expected \`${name}\` once, got ${raw.length} values`, raw);
    const value = read(rule, raw);
    if (value === undefined) throw refusal(name, rule, raw);
    out[name] = value;
  }
  return out as Parsed<S>;
}

/** The 400 for a value its rule refuses; in a list, the first refused entry is named: `to[3]`. */
function refusal(name: string, rule: Rule, raw: unknown): ApiError {
  if (rule.type === 'list') {
    const items = Array.isArray(raw) ? raw : [raw];
    const bad = items.findIndex((item) => read(rule.item, item) === undefined);
    if (items.length > 0 && items.length <= rule.max && bad >= 0) {
      return refusal(Array.isArray(raw) ? `${name}[${bad}]` : name, rule.item, items[bad]);
    }
    const count = items.length === 0 ? 'none' : `${items.length}`;
    return invalidValue(name, `Expected \`${name}\` to be ${describe(rule)}; got ${count}`, raw);
  }
  const phone = rule.type === 'string' && rule.patterns?.includes(E164) === true;
  return invalidValue(name, `Expected \`${name}\` to be ${describe(rule)}${phone && lostPlus(raw) ? lostPlusHint(name) : ''}`, raw);
}
