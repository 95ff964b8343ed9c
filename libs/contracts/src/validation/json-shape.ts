import type { FieldError } from './validate-payload';

/**
 * How deep a payload may nest objects and arrays. The deepest contract needs a handful of
 * levels; class-transformer and class-validator recurse once per level, so a request nested
 * tens of thousands deep (a few hundred kB of brackets) would exhaust the stack.
 */
export const MAX_PAYLOAD_DEPTH = 32;

/** The field a refusal of a payload (or body) as a whole is reported under. */
export const WHOLE_PAYLOAD = '$';

/**
 * Keys no contract has, which class-transformer reads as an object's own machinery (it
 * follows `constructor` to find a class, and fails on one that is not) and careless merges
 * turn into prototype pollution.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether `value` nests objects or arrays more than `max` levels deep (a scalar is depth 0,
 * `{}` depth 1). Walks without recursion, so it cannot overflow the stack itself, and stops
 * at the first path that goes too deep.
 */
export function nestingDepthExceeds(value: unknown, max = MAX_PAYLOAD_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** The path of a reserved key (`__proto__`, `constructor`, `prototype`) in `value`, if it has one. */
export function reservedKeyPath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const array = Array.isArray(node);
    for (const [key, child] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (!array && RESERVED_KEYS.has(key)) return at;
      stack.push([child, at]);
    }
  }
  return undefined;
}

/**
 * Why `value` cannot be checked field by field, if it cannot: not an object (when one is
 * required), nested too deep, or holding a reserved key. `what` names it in the messages.
 */
export function shapeErrors(
  value: unknown,
  what: string,
  { objectRequired = true }: { objectRequired?: boolean } = {},
): FieldError[] {
  const whole = (message: string) => [{ field: WHOLE_PAYLOAD, messages: [message] }];
  if (objectRequired && (typeof value !== 'object' || value === null || Array.isArray(value)))
    return whole(`the ${what} must be a JSON object`);
  if (nestingDepthExceeds(value))
    return whole(`the ${what} nests objects or arrays more than ${MAX_PAYLOAD_DEPTH} levels deep`);
  const reserved = reservedKeyPath(value);
  if (reserved !== undefined)
    return [{ field: reserved, messages: [`${reserved} is not accepted: a reserved key`] }];
  return [];
}
