import type { EntityManager } from 'typeorm';
import type { RequestWithPrincipal } from '../access/access.guard';

export interface RecordedAction {
  action: string;
  target: string;
  details: Record<string, unknown>;
}

/**
 * Records an administrator action in `tx`, the transaction of the change itself, with who
 * did it (the request's principal, set by the access guard) and the request's correlation id.
 */
export async function recordAdminAction(
  tx: EntityManager,
  req: RequestWithPrincipal,
  what: RecordedAction,
): Promise<void> {
  const actor = req.principal;
  await tx.query(
    `INSERT INTO admin_actions
       (actor_credential_id, actor_role, actor_label, action, target, details, correlation_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [
      actor?.credentialId ?? 'unknown',
      actor?.role ?? 'unknown',
      actor?.label ?? 'unknown',
      what.action,
      what.target,
      JSON.stringify(what.details),
      req.correlationId,
    ],
  );
}

type WithStatus = { status?: string } | null;

/**
 * The action a catalogue change amounts to: `<kind>.created` for a new entry, `.enabled` or
 * `.disabled` when its status changes, `.updated` otherwise.
 */
export function changeAction(kind: string, before: WithStatus, after: WithStatus): string {
  if (!before) return `${kind}.created`;
  if (after && before.status !== after.status) {
    if (after.status === 'DISABLED') return `${kind}.disabled`;
    if (after.status === 'ACTIVE') return `${kind}.enabled`;
  }
  return `${kind}.updated`;
}
