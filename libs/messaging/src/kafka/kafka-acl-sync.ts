import {
  type AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  ResourcePatternTypes,
} from 'kafkajs';
import type { AclBinding } from './kafka-acls';

const OPERATION = {
  CREATE: AclOperationTypes.CREATE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
} as const;

const key = (e: AclEntry) =>
  [
    e.principal,
    e.host,
    e.resourceType,
    e.resourcePatternType,
    e.resourceName,
    e.operation,
    e.permissionType,
  ].join('|');

function entryOf(b: AclBinding): AclEntry {
  return {
    principal: b.principal,
    host: '*',
    resourceType: b.resourceType === 'TOPIC' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: b.resourceName,
    resourcePatternType:
      b.patternType === 'LITERAL' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    operation: OPERATION[b.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** Every ACL on the broker whose principal `matches` selects. */
async function currentAcls(
  admin: Admin,
  matches: (principal: string) => boolean,
): Promise<AclEntry[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return resources.flatMap((r) =>
    r.acls
      .filter((a) => matches(a.principal))
      .map((a) => ({
        principal: a.principal,
        host: a.host,
        operation: a.operation,
        permissionType: a.permissionType,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        resourcePatternType: r.resourcePatternType,
      })),
  );
}

export interface AclChanges {
  created: number;
  deleted: number;
  unchanged: number;
}

/**
 * Makes the ACLs of `principals` on the broker exactly `desired`: creates what is missing,
 * deletes what is there and not desired (a disabled system's, a cancelled subscription's),
 * leaves every other principal's ACLs alone. Returns once the broker's authorizer shows the
 * result (it applies ACLs from its metadata log a moment after the request is answered).
 * The caller's principal needs ALTER and DESCRIBE on the cluster.
 */
export async function applyAcls(
  admin: Admin,
  desired: AclBinding[],
  principals: string[],
  timeoutMs = 15_000,
): Promise<AclChanges> {
  const managed = new Set(principals);
  const stray = desired.find((b) => !managed.has(b.principal));
  if (stray) throw new Error(`${stray.principal} has ACLs desired but is not a managed principal`);
  const want = new Map(desired.map((b) => [key(entryOf(b)), entryOf(b)]));
  const isManaged = (p: string) => managed.has(p);
  const have = new Map((await currentAcls(admin, isManaged)).map((e) => [key(e), e]));
  const create = [...want].filter(([k]) => !have.has(k)).map(([, e]) => e);
  const remove = [...have].filter(([k]) => !want.has(k)).map(([, e]) => e);
  if (create.length > 0) await admin.createAcls({ acl: create });
  if (remove.length > 0) await admin.deleteAcls({ filters: remove });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = new Set((await currentAcls(admin, isManaged)).map(key));
    if (now.size === want.size && [...want.keys()].every((k) => now.has(k))) break;
    if (Date.now() > deadline)
      throw new Error(`the broker did not show the ACLs within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { created: create.length, deleted: remove.length, unchanged: want.size - create.length };
}

/** Removes every ACL of the principals that `matches` selects (a finished test run's). */
export async function removeAclsOf(
  admin: Admin,
  matches: (principal: string) => boolean,
): Promise<number> {
  const entries = await currentAcls(admin, matches);
  if (entries.length > 0) await admin.deleteAcls({ filters: entries });
  return entries.length;
}
