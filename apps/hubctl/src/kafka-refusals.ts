/** One kind of refusal in the broker's authorizer log, and how often it happened. */
export interface Refusal {
  principal: string;
  operation: string;
  resource: string;
  request: string;
  count: number;
  first: string;
  last: string;
}

// [time] INFO Principal = User:land is Denied operation = WRITE from host = 127.0.0.1 on
// resource = Topic:LITERAL:lgsp.civil-status.birth-registered.v1 for request = Produce ...
const DENIED =
  /^\[([^\]]+)\] \w+ Principal = (\S+) is Denied operation = (\S+) from host = \S+ on resource = (\S+) for request = (\S+)/;

/**
 * Counts the refusals in the lines of the broker's authorizer log (kafka.authorizer.logger,
 * which logs every denied request), by principal, operation, resource and request; the
 * most frequent first. Other lines are ignored.
 */
export function countRefusals(lines: Iterable<string>): Refusal[] {
  const byKind = new Map<string, Refusal>();
  for (const line of lines) {
    const m = DENIED.exec(line);
    if (!m) continue;
    const [, at, principal, operation, resource, request] = m;
    const key = `${principal} ${operation} ${resource} ${request}`;
    const seen = byKind.get(key);
    if (seen) {
      seen.count += 1;
      seen.last = at;
    } else {
      byKind.set(key, { principal, operation, resource, request, count: 1, first: at, last: at });
    }
  }
  return [...byKind.values()].sort((a, b) => b.count - a.count || a.first.localeCompare(b.first));
}
