import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** Says whether plain data satisfies a payload class; no messages (the full validator gives those). */
export type Accepts = (data: unknown) => boolean;

interface ConstraintRunner {
  validate(value: unknown, args: ValidationArguments): unknown;
}

/** The class-validator internals this module reads; they are public at run time, not in its types. */
interface Storage {
  getTargetValidationMetadatas(
    target: object,
    schema: string,
    always: boolean,
    strict: boolean,
    groups?: string[],
  ): ValidationMetadata[];
  groupByPropertyName(m: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
  getTargetValidatorConstraints(cls: object): { async: boolean; instance: ConstraintRunner }[];
}

type Property = (object: Record<string, unknown>) => boolean;

const compiled = new Map<object, Accepts | null>();

/**
 * The accept half of class-validator's `validateSync(plainToInstance(cls, data), { whitelist:
 * true, forbidNonWhitelisted: true })`, worked out once per class from the same metadata and
 * run with the same constraint functions, without building instances or error objects: the
 * valid case — nearly every record on a hot path — costs a few function calls per field.
 * It follows the executor's order: a property whose `@ValidateIf`/`@IsOptional` condition
 * fails is skipped whole; otherwise `@IsDefined`, each constraint (with `each` over arrays,
 * sets and maps), then nested objects by their `@Type` class; a field no rule names is
 * refused. A class using anything this does not follow (groups, `always`, promises,
 * asynchronous constraints, a nested field without `@Type`) gets no compiled form
 * (`undefined`): the caller validates it in full. compiled-validator.spec.ts holds the two
 * to the same answers over generated payloads of every event type.
 */
export function compiledValidator(cls: object): Accepts | undefined {
  if (!compiled.has(cls)) compiled.set(cls, compile(cls, new Set()) ?? null);
  return compiled.get(cls) ?? undefined;
}

function compile(cls: object, inProgress: Set<object>): Accepts | undefined {
  if (inProgress.has(cls)) return undefined; // a recursive shape: left to the full validator
  inProgress.add(cls);
  const storage = getMetadataStorage() as unknown as Storage;
  const metas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metas.length === 0) return undefined;
  const byProperty = storage.groupByPropertyName(metas);
  const properties: Property[] = [];
  for (const [name, list] of Object.entries(byProperty)) {
    const property = compileProperty(cls, name, list, storage, inProgress);
    if (!property) return undefined;
    properties.push(property);
  }
  const allowed = new Set(Object.keys(byProperty));
  return (data) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
    const object = data as Record<string, unknown>;
    for (const key of Object.keys(object)) if (!allowed.has(key)) return false;
    return properties.every((p) => p(object));
  };
}

function compileProperty(
  cls: object,
  name: string,
  list: ValidationMetadata[],
  storage: Storage,
  inProgress: Set<object>,
): Property | undefined {
  if (list.some((m) => (m.groups && m.groups.length > 0) || m.always !== undefined)) return;
  const of = (type: string) => list.filter((m) => m.type === type);
  const known: string[] = [
    ValidationTypes.CONDITIONAL_VALIDATION,
    ValidationTypes.IS_DEFINED,
    ValidationTypes.CUSTOM_VALIDATION,
    ValidationTypes.NESTED_VALIDATION,
    ValidationTypes.WHITELIST,
  ];
  if (list.some((m) => !known.includes(m.type))) return;
  const conditions = of(ValidationTypes.CONDITIONAL_VALIDATION).map(
    (m) => m.constraints[0] as (o: object, v: unknown) => boolean,
  );
  const defined = constraintChecks(cls, name, of(ValidationTypes.IS_DEFINED), storage);
  const custom = constraintChecks(cls, name, of(ValidationTypes.CUSTOM_VALIDATION), storage);
  if (!defined || !custom) return;
  let nested: Accepts | undefined;
  if (of(ValidationTypes.NESTED_VALIDATION).length > 0) {
    const type = defaultMetadataStorage.findTypeMetadata(cls as never, name);
    const target = type?.typeFunction() as object | undefined;
    nested = target ? compile(target, new Set(inProgress)) : undefined;
    if (!nested) return;
  }
  return (object) => {
    const value = object[name];
    if (!conditions.every((c) => Boolean(c(object, value)))) return true;
    if (!defined(object, value) || !custom(object, value)) return false;
    return !nested || value === undefined || nestedAccepts(value, nested);
  };
}

type Check = (object: Record<string, unknown>, value: unknown) => boolean;

/**
 * Every constraint of the given rules, as one check; undefined if one cannot be run here.
 * Each constraint gets the arguments class-validator would give it, in one object per
 * constraint filled in per call (constraints read them and keep nothing): no allocation
 * per field on the hot path.
 */
function constraintChecks(
  cls: object,
  property: string,
  rules: ValidationMetadata[],
  storage: Storage,
): Check | undefined {
  const checks: Check[] = [];
  for (const rule of rules) {
    const runners = storage.getTargetValidatorConstraints(rule.constraintCls);
    if (runners.some((r) => r.async)) return undefined;
    const when = (rule as { validateIf?: (o: object, v: unknown) => boolean }).validateIf;
    const args: ValidationArguments = {
      targetName: (cls as { name: string }).name,
      property,
      object: {},
      value: undefined,
      constraints: rule.constraints,
    };
    for (const { instance } of runners) {
      checks.push((object, value) => {
        if (when && !when(object, value)) return true;
        args.object = object;
        args.value = value;
        if (!rule.each || !isCollection(value)) return Boolean(instance.validate(value, args));
        return toArray(value).every((v) => Boolean(instance.validate(v, args)));
      });
    }
  }
  return (object, value) => {
    for (const check of checks) if (!check(object, value)) return false;
    return true;
  };
}

/** What the executor accepts for a nested field: objects of the class; collections of them. */
function nestedAccepts(value: unknown, accepts: Accepts): boolean {
  if (isCollection(value))
    return toArray(value).every((v) => v === undefined || nestedAccepts(v, accepts));
  // An object from any realm (class-transformer makes it an instance of the @Type class).
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') && accepts(value)
  );
}

function isCollection(v: unknown): v is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(v) || v instanceof Set || v instanceof Map;
}

function toArray(v: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] {
  return Array.isArray(v) ? v : [...v.values()];
}
