// Indexes the operations of Twilio's OpenAPI file (the committed part, or a full copy named by
// TWILIO_OAI_SPEC) so the sandbox can check every request against it.
import * as fs from 'node:fs';

export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  /**
   * Inclusive bounds the sandbox checks, from a parameter's description (DESCRIBED_RANGES). The
   * spec's own minimum/maximum (PageSize, Page) are left unchecked, as they always were here.
   */
  range?: readonly [number, number];
  description?: string;
  items?: JsonSchema;
  nullable?: boolean;
  'x-twilio'?: { ignoreFormat?: boolean };
}

export interface QueryParam {
  schema: JsonSchema;
  required: boolean;
}

export interface SpecOperation {
  operationId: string;
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  pathParams: ReadonlyMap<string, JsonSchema>;
  queryParams: ReadonlyMap<string, QueryParam>;
  /** Form body, when the operation takes one. */
  body: { properties: ReadonlyMap<string, JsonSchema>; required: readonly string[] } | null;
  /** `x-twilio.conditional`, with Twilio's snake_case names mapped to form names: each group needs one. */
  conditional: ReadonlyArray<readonly string[]>;
}

export type PathMatch =
  | { kind: 'matched'; operation: SpecOperation; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'no-path' };

export interface TwilioSpecIndex {
  file: string;
  operations: readonly SpecOperation[];
  match(method: string, urlPath: string): PathMatch;
}

// Enum schemas the spec defines but does not reference from the parameter they
// describe (the parameter's description lists the same values).
const UNLINKED_ITEM_ENUMS: Record<string, Record<string, string>> = {
  CreateCall: { StatusCallbackEvent: 'call_enum_event' },
};

// Values and bounds the spec gives only in a parameter's description ("Can be: `Enable` or
// `DetectMessageEnd`", "Possible Values: 1000-6000"), where Twilio enforces them (error 21234).
// Each is checked against the description when the spec is read, so a changed spec fails loudly.
const DESCRIBED_ENUMS: Record<string, Record<string, readonly string[]>> = {
  CreateCall: { MachineDetection: ['Enable', 'DetectMessageEnd'], AsyncAmd: ['true', 'false'] },
};
const DESCRIBED_RANGES: Record<string, Record<string, readonly [number, number]>> = {
  CreateCall: {
    MachineDetectionSpeechThreshold: [1000, 6000],
    MachineDetectionSpeechEndThreshold: [500, 5000],
    MachineDetectionSilenceTimeout: [2000, 10000],
  },
};

type Json = Record<string, unknown>;

/** The described enums and ranges applied to one operation's form properties. */
function describedConstraints(operationId: string, properties: Map<string, JsonSchema>): void {
  const changed = (name: string, what: string) => new Error(`Spec changed: ${operationId}.${name}'s description no longer says ${what}`);
  for (const [name, values] of Object.entries(DESCRIBED_ENUMS[operationId] ?? {})) {
    const property = properties.get(name);
    for (const value of values) if (!property?.description?.includes(`\`${value}\``)) throw changed(name, value);
    properties.set(name, { ...property, enum: [...values] });
  }
  for (const [name, [minimum, maximum]] of Object.entries(DESCRIBED_RANGES[operationId] ?? {})) {
    const property = properties.get(name);
    if (!property?.description?.includes(`${minimum}-${maximum}`)) throw changed(name, `${minimum}-${maximum}`);
    properties.set(name, { ...property, range: [minimum, maximum] });
  }
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function resolveSchema(root: Json, schema: unknown): JsonSchema {
  const node = asObject(schema);
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/components\/schemas\//, '');
    const target = asObject(asObject(asObject(root.components).schemas)[name]);
    if (Object.keys(target).length === 0) throw new Error(`Unresolvable $ref ${ref}`);
    return resolveSchema(root, target);
  }
  const resolved: JsonSchema = { ...(node as JsonSchema) };
  if (node.items !== undefined) resolved.items = resolveSchema(root, node.items);
  return resolved;
}

function snakeToPascal(name: string): string {
  return name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function templateRegex(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (param?.[1] !== undefined) {
        names.push(param[1]);
        return '([^/]+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { regex: new RegExp(`^${source}$`), names };
}

function buildOperation(root: Json, template: string, method: 'GET' | 'POST' | 'DELETE', raw: Json): SpecOperation {
  const operationId = typeof raw.operationId === 'string' ? raw.operationId : `${method} ${template}`;
  const pathParams = new Map<string, JsonSchema>();
  const queryParams = new Map<string, QueryParam>();
  for (const p of Array.isArray(raw.parameters) ? raw.parameters : []) {
    const param = asObject(p);
    const name = String(param.name);
    const schema = resolveSchema(root, param.schema);
    if (param.in === 'path') pathParams.set(name, schema);
    if (param.in === 'query') queryParams.set(name, { schema, required: param.required === true });
  }

  let body: SpecOperation['body'] = null;
  const form = asObject(asObject(asObject(raw.requestBody).content)['application/x-www-form-urlencoded']).schema;
  if (form !== undefined) {
    const formSchema = asObject(form);
    const properties = new Map<string, JsonSchema>();
    for (const [name, schema] of Object.entries(asObject(formSchema.properties))) {
      properties.set(name, resolveSchema(root, schema));
    }
    for (const [name, enumName] of Object.entries(UNLINKED_ITEM_ENUMS[operationId] ?? {})) {
      const property = properties.get(name);
      const enumSchema = resolveSchema(root, { $ref: `#/components/schemas/${enumName}` });
      if (property?.items === undefined) throw new Error(`Spec changed: ${operationId}.${name} is no longer an array`);
      properties.set(name, { ...property, items: { ...property.items, enum: enumSchema.enum ?? [] } });
    }
    describedConstraints(operationId, properties);
    const required = Array.isArray(formSchema.required) ? formSchema.required.map(String) : [];
    body = { properties, required };
  }

  const groups = asObject(raw['x-twilio']).conditional;
  const conditional = (Array.isArray(groups) ? groups : []).map((group: unknown) =>
    (Array.isArray(group) ? group : []).map((name: unknown) => snakeToPascal(String(name))),
  );
  for (const group of conditional) {
    for (const name of group) {
      if (!body?.properties.has(name)) throw new Error(`${operationId}: conditional names unknown parameter ${name}`);
    }
  }
  return { operationId, method, template, pathParams, queryParams, body, conditional };
}

function indexSpec(file: string): TwilioSpecIndex {
  const root = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  const compiled: Array<{ operation: SpecOperation; regex: RegExp; names: string[]; literal: number }> = [];
  for (const [template, item] of Object.entries(asObject(root.paths))) {
    const { regex, names } = templateRegex(template);
    const literal = template.replace(/\{[^}]+\}/g, '').length;
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const raw = asObject(item)[method.toLowerCase()];
      if (raw !== undefined) {
        compiled.push({ operation: buildOperation(root, template, method, asObject(raw)), regex, names, literal });
      }
    }
  }
  // Prefer the most specific template when several match.
  compiled.sort((a, b) => b.literal - a.literal);

  return {
    file,
    operations: compiled.map((c) => c.operation),
    match(method, urlPath) {
      const allowed: string[] = [];
      for (const entry of compiled) {
        const found = entry.regex.exec(urlPath);
        if (found === null) continue;
        if (entry.operation.method !== method) {
          allowed.push(entry.operation.method);
          continue;
        }
        const params: Record<string, string> = {};
        entry.names.forEach((name, i) => {
          params[name] = decodeURIComponent(found[i + 1] ?? '');
        });
        return { kind: 'matched', operation: entry.operation, params };
      }
      return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'no-path' };
    },
  };
}

/** Reads and indexes the spec at `file` (see locateTwilioSpec); callers keep the index, it is not cached here. */
export function loadTwilioSpecFile(file: string): TwilioSpecIndex {
  return indexSpec(file);
}
