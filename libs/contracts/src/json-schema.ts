import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ceTypeOf, eventTypeKey, type EventTypeDef } from './event-types';
import { CLASS_SCHEMAS, RULE_SCHEMAS, SERVER_ONLY_RULES } from './validation/domain-validators';

type Schema = Record<string, unknown>;

const cache = new Map<string, Record<string, Schema>>();

/**
 * Every payload class's schema, keyed by class name, generated once from the
 * class-validator rules. Domain rules map to schema fragments (RULE_SCHEMAS); rules a
 * schema cannot express are listed in the class's `description`. Unknown fields are
 * refused, as the validators refuse them.
 */
export function classSchemas(refPointerPrefix = '#/definitions/'): Record<string, Schema> {
  const cached = cache.get(refPointerPrefix);
  if (cached) return cached;
  // Notes on the rules a schema cannot express, by the class that declares the rule.
  const serverOnly = new Map<unknown, Set<string>>();
  const convert = (name: string) => (meta: ValidationMetadata) => {
    const note = SERVER_ONLY_RULES.get(name);
    if (note) {
      const notes = serverOnly.get(meta.target) ?? new Set<string>();
      notes.add(`${meta.propertyName} ${note(meta.constraints ?? [])}`);
      serverOnly.set(meta.target, notes);
    }
    return RULE_SCHEMAS.get(name)?.(meta.constraints ?? []) ?? {};
  };
  const names = new Set([...RULE_SCHEMAS.keys(), ...SERVER_ONLY_RULES.keys()]);
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix,
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: Object.fromEntries([...names].map((n) => [n, convert(n)])),
  }) as Record<string, Schema>;
  // The same storage the generator reads; a class's notes include those of its ancestors.
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> };
  const classes = new Map<string, unknown>();
  for (const target of storage.validationMetadatas.keys())
    if (typeof target === 'function') classes.set(target.name, target);
  for (const [name, schema] of Object.entries(schemas)) {
    schema.additionalProperties = false;
    const notes: string[] = [];
    const fragments: (Schema | undefined)[] = [];
    for (let c = classes.get(name); typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      notes.unshift(...(serverOnly.get(c) ?? []));
      fragments.unshift(CLASS_SCHEMAS.get((c as { name: string }).name));
    }
    Object.assign(schema, ...fragments);
    if (notes.length)
      schema.description = `Also checked by the hub and every consumer: ${notes.join('; ')}.`;
    schemas[name] = mapSchema(schema, strictShape);
  }
  cache.set(refPointerPrefix, schemas);
  return schemas;
}

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas. */
const ONE = ['not', 'items', 'additionalProperties', 'contains', 'if', 'then', 'else'];
const LIST = ['allOf', 'anyOf', 'oneOf', 'items'];
const MAP = ['properties', 'patternProperties', 'definitions'];

/**
 * Rewrites every schema in a tree from the leaves up: `change` gets a copy of each with its
 * subschemas already rewritten. Enums, examples and other values are left alone.
 */
export function mapSchema(schema: Schema, change: (s: Schema) => Schema): Schema {
  const out: Schema = { ...schema };
  const sub = (v: unknown) => (isSchema(v) ? mapSchema(v, change) : v);
  for (const k of ONE) if (isSchema(out[k])) out[k] = sub(out[k]);
  for (const k of LIST) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map(sub);
  for (const k of MAP)
    if (isSchema(out[k]))
      out[k] = Object.fromEntries(Object.entries(out[k]).map(([n, v]) => [n, sub(v)]));
  return change(out);
}

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NOT_NULL = JSON.stringify({ type: 'null' });

/**
 * What the generator writes that strict readers (ajv's strict mode, OpenAPI 3.0, draft-07
 * validators) refuse or misread, said so they take it as class-validator means it:
 * - `@IsDefined()` becomes `not: {type: 'null'}`; beside a type or a class it says nothing
 *   more (neither admits null), and ajv's strictTypes reads it as a contradiction.
 * - A nested class is a `$ref` with its field's own rules beside it; draft-07 and
 *   OpenAPI 3.0 ignore whatever sits beside a `$ref`, so the reference goes into `allOf`.
 * - A rule between fields (`anyOf: [{required: ['mother']}, …]`) requires fields the class
 *   declares one level up; each branch declares them too (`{}`: the class says what they
 *   are), as strictRequired wants every required field declared where it is required.
 */
function strictShape(schema: Schema): Schema {
  const out = { ...schema };
  if (excludesNull(out) && JSON.stringify(out.not) === NOT_NULL) delete out.not;
  const declared = isSchema(out.properties) ? out.properties : {};
  for (const k of ['allOf', 'anyOf', 'oneOf'])
    if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map((b) => declaring(b, declared));
  if (typeof out.$ref !== 'string' || Object.keys(out).length === 1) return out;
  const { $ref, ...beside } = out;
  return { ...beside, allOf: [{ $ref }, ...((beside.allOf as unknown[]) ?? [])] };
}

/** A class (`$ref`), or a type that is not null and lists no null. */
function excludesNull(s: Schema): boolean {
  const types: unknown[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return typeof s.$ref === 'string' || (types.length > 0 && !types.includes('null'));
}

function declaring(branch: unknown, declared: Schema): unknown {
  if (!isSchema(branch) || !Array.isArray(branch.required)) return branch;
  const own = isSchema(branch.properties) ? branch.properties : {};
  const names = (branch.required as string[]).filter((n) => n in declared && !(n in own));
  if (names.length === 0) return branch;
  return { ...branch, properties: { ...Object.fromEntries(names.map((n) => [n, {}])), ...own } };
}

function referencedDefinitions(root: Schema, all: Record<string, Schema>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      const name =
        k === '$ref' && typeof v === 'string' ? v.replace('#/definitions/', '') : undefined;
      if (name && !out[name] && all[name]) {
        out[name] = all[name];
        walk(all[name]);
      } else walk(v);
    }
  };
  walk(root);
  return out;
}

/** The JSON Schema (draft-07) of an event type's payload, self-contained. */
export function eventTypeSchema(def: EventTypeDef): Schema {
  const all = classSchemas();
  const root = all[def.payload.name];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:lgsp:event-type:${eventTypeKey(def)}`,
    title: ceTypeOf(def),
    ...root,
    definitions: referencedDefinitions(root, all),
  };
}
