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
  }
  cache.set(refPointerPrefix, schemas);
  return schemas;
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
