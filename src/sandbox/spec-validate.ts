// Checks path, query and form parameters against one operation of the spec.
// Deliberately stricter than Twilio in one way: unknown parameters are rejected,
// so a misspelt name in the client fails a test instead of being ignored.
import type { JsonSchema, SpecOperation } from './spec-index';

export type ViolationKind = 'missing' | 'unknown' | 'repeated' | 'enum' | 'type' | 'range' | 'pattern' | 'format' | 'conditional';

export interface Violation {
  kind: ViolationKind;
  /** Parameter name; for `conditional`, the group joined with `|`. */
  param: string;
  message: string;
}


const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Returns a problem with `value` under `schema`, or null. */
function checkValue(param: string, schema: JsonSchema, value: string): Violation | null {
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    return { kind: 'enum', param, message: `${param} must be one of ${schema.enum.join(', ')}; got '${value}'` };
  }
  switch (schema.type) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) return { kind: 'type', param, message: `${param} must be an integer; got '${value}'` };
      break;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) {
        return { kind: 'type', param, message: `${param} must be a number; got '${value}'` };
      }
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) return { kind: 'type', param, message: `${param} must be true or false; got '${value}'` };
      break;
    default:
      break;
  }
  if (schema.range !== undefined && (Number(value) < schema.range[0] || Number(value) > schema.range[1])) {
    return { kind: 'range', param, message: `${param} must be from ${schema.range[0]} to ${schema.range[1]}; got ${value}` };
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return { kind: 'pattern', param, message: `${param} is shorter than ${schema.minLength} characters` };
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return { kind: 'pattern', param, message: `${param} is longer than ${schema.maxLength} characters` };
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    return { kind: 'pattern', param, message: `${param} must match ${schema.pattern}` };
  }
  if (schema['x-twilio']?.ignoreFormat === true) return null;
  switch (schema.format) {
    case 'uri':
      if (!isAbsoluteHttpUrl(value)) return { kind: 'format', param, message: `${param} must be an absolute http(s) URL` };
      break;
    case 'date-time':
      if (!ISO_DATE_TIME.test(value)) return { kind: 'format', param, message: `${param} must be an ISO 8601 date-time` };
      break;
    case 'phone-number':
    case 'endpoint':
      // A raw `+` in a form body decodes to a space: the classic lost-plus bug.
      if (value.trim() === '' || value !== value.trim()) {
        return { kind: 'format', param, message: `${param} '${value}' is not a valid address (was '+' sent unencoded?)` };
      }
      break;
    default:
      break;
  }
  return null;
}

export function validatePathParams(operation: SpecOperation, params: Record<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [name, schema] of operation.pathParams) {
    const value = params[name];
    if (value === undefined) continue;
    const problem = checkValue(name, schema, value);
    if (problem !== null) violations.push(problem);
  }
  return violations;
}

export function validateQuery(operation: SpecOperation, query: ReadonlyArray<[string, string]>): Violation[] {
  const violations: Violation[] = [];
  for (const [name, value] of query) {
    const param = operation.queryParams.get(name);
    if (param === undefined) {
      violations.push({ kind: 'unknown', param: name, message: `Unknown query parameter ${name}` });
      continue;
    }
    // The spec types list filters (StartTime, DateSent...) as date-times, but Twilio's own
    // documented form is a plain date (YYYY-MM-DD), so both are accepted.
    if (param.schema.format === 'date-time' && ISO_DATE.test(value)) continue;
    const problem = checkValue(name, param.schema, value);
    if (problem !== null) violations.push(problem);
  }
  return violations;
}

/** Validates a form body; `form` keeps the order and repetitions of the wire. */
export function validateForm(operation: SpecOperation, form: ReadonlyArray<[string, string]>): Violation[] {
  const violations: Violation[] = [];
  const body = operation.body;
  if (body === null) {
    if (form.length > 0) violations.push({ kind: 'unknown', param: form[0]?.[0] ?? '', message: `${operation.operationId} takes no body` });
    return violations;
  }
  const seen = new Map<string, number>();
  for (const [name, value] of form) {
    seen.set(name, (seen.get(name) ?? 0) + 1);
    const schema = body.properties.get(name);
    if (schema === undefined) {
      violations.push({ kind: 'unknown', param: name, message: `Unknown parameter ${name} for ${operation.operationId}` });
      continue;
    }
    const problem = checkValue(name, schema.type === 'array' ? (schema.items ?? {}) : schema, value);
    if (problem !== null) violations.push(problem);
  }
  for (const [name, count] of seen) {
    const schema = body.properties.get(name);
    if (schema !== undefined && schema.type !== 'array' && count > 1) {
      violations.push({ kind: 'repeated', param: name, message: `${name} is not a list but was sent ${count} times` });
    }
  }
  const present = (name: string) => form.some(([key, value]) => key === name && value !== '');
  // Required ones first: Twilio reports a missing To before anything else.
  const missing = body.required
    .filter((name) => !present(name))
    .map((name): Violation => ({ kind: 'missing', param: name, message: `${name} is required` }));
  const unmet = operation.conditional
    .filter((group) => !group.some(present))
    .map((group): Violation => ({ kind: 'conditional', param: group.join('|'), message: `One of ${group.join(', ')} is required` }));
  return [...missing, ...unmet, ...violations];
}
