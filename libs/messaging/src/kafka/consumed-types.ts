import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';

/**
 * The event types a service consumes: the patterns of its `@OnEvent` handlers, found on its
 * controllers before the transport subscribes to them. On a closed broker a service provisions
 * only the topics it uses, so that it never asks for one the catalogue grants to others.
 */
export function consumedEventTypes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): string[] {
  const types = new Set<string>();
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, instance[name] as object) as
        unknown[] | undefined;
      for (const p of (patterns ?? []).flat()) if (typeof p === 'string') types.add(p);
    }
  }
  return [...types].sort();
}
