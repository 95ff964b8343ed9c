import type { FlowResult, PhaseResult } from './bench-flow-report';

/**
 * What makes a run's figures untrustworthy, worded for the report: transactions left open
 * or never logged, outcomes other than SUCCESS, submissions intake did not take, a paced
 * phase that could not keep its schedule, a baseline that did not get everything back.
 */
export function failuresOf(r: FlowResult): string[] {
  const out: string[] = [];
  const phases: PhaseResult[] = [r.maximum, ...r.fixedRates];
  for (const p of phases) {
    const c = p.closure;
    if (c.open > 0)
      out.push(`${p.name}: ${c.open} transactions still open after waiting ${c.waitedSeconds} s`);
    if (c.missing > 0) out.push(`${p.name}: ${c.missing} transactions expected but never logged`);
    for (const line of c.errors) out.push(`${p.name}: ${line}`);
    for (const [kind, outcomes] of Object.entries(p.submissions))
      for (const outcome of ['REFUSED', 'FAILED'])
        if (outcomes[outcome])
          out.push(`${p.name}: ${outcomes[outcome]} ${kind} submissions ${outcome.toLowerCase()}`);
    if (p.targetPerSecond && p.sentPerSecond < p.targetPerSecond * 0.9)
      out.push(
        `${p.name}: only ${p.sentPerSecond} records/s sent and answered of ${p.targetPerSecond} scheduled`,
      );
  }
  if (r.rawKafka.consumed < r.rawKafka.messages)
    out.push(
      `raw Kafka: ${r.rawKafka.consumed} of ${r.rawKafka.messages} records consumed in time`,
    );
  if (r.loggedTxPerSecond <= 0) out.push('maximum: no transaction was logged');
  return out;
}
