import { Rng } from '@lgsp/testing';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { HubClient } from './hub-client';
import { Intake } from './bench-flow-intake';
import { rawKafka } from './bench-flow-kafka';
import { hubctlKafkaAuth } from './kafka-admin';
import { birthsOnly, mixed } from './bench-flow-load';
import { FlowLog } from './bench-flow-log';
import { fixedRatePhase, maximumPhase, type PhaseContext } from './bench-flow-phases';
import { kafkaVersion, watchedProcesses } from './bench-flow-processes';
import { aBirthRecord, BirthMaker, MixMaker, preparePeople } from './bench-flow-records';
import { failuresOf } from './bench-flow-failures';
import { type FlowResult, writeReport } from './bench-flow-report';
import { ensureStack } from './bench-flow-stack';
import { halfLoadRate, round1 } from './bench-flow-stats';
import type { FlowOptions } from './bench-flow-options';

/** The chain a birth starts; its subscriptions in the catalogue are the transactions it opens. */
const BIRTH_CHAIN = ['birth-registration', 'citizen-registration', 'card-issuance'];

async function birthTransactions(hub: HubClient): Promise<number> {
  const subs = await hub.get<{ service: string; status: string }[]>('/catalogue/subscriptions');
  return subs.filter((s) => BIRTH_CHAIN.includes(s.service) && s.status === 'ACTIVE').length;
}

/**
 * The flow benchmark: raw Kafka pass-through as the ceiling, the open-loop maximum of
 * logged transactions per second, then paced fixed rates (half the maximum first) with the
 * exact end-to-end latency of their transactions. Drives the stack that answers, or starts
 * one and stops it again; writes throughput.md and throughput.json into `o.out`.
 */
export async function benchFlow(o: FlowOptions): Promise<FlowResult> {
  const say = o.say;
  const stack = await ensureStack({
    root: o.root,
    hubUrl: o.urls.hub,
    serviceUrls: Object.values(o.urls),
    startTimeoutMs: 15 * 60_000,
    env: o.env,
    say,
  });
  try {
    const log = await FlowLog.open(o.hubDatabaseUrl);
    try {
      return await measure(o, log, stack.started);
    } finally {
      await log.close();
    }
  } finally {
    await stack.stop();
  }
}

/** What the figures were measured on. */
async function machine(log: FlowLog): Promise<Record<string, string | number>> {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: round1(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    kafka: kafkaVersion(watchedProcesses(new Map())),
    postgresql: (await log.serverVersion()).split(' on ')[0],
  };
}

async function measure(o: FlowOptions, log: FlowLog, stackStarted: boolean): Promise<FlowResult> {
  const say = o.say;
  const people = await preparePeople({ ...o, say });
  const idleStart = Date.now();
  const idle = await log.waitIdle(5000, 5 * 60_000, say);
  const idleWaitSeconds = round1((Date.now() - idleStart) / 1000);
  const loadAtStart = loadavg().map(round1).join(' ');
  const rng = new Rng(Date.now() % 2 ** 31);
  const raw = await rawKafka({
    brokers: o.brokers,
    // The administrator: the benchmark's own topic and group are in no catalogue.
    auth: hubctlKafkaAuth(o.root, o.env),
    topicPrefix: o.topicPrefix,
    partitions: o.partitions,
    partitionsLike: `${o.topicPrefix}lgsp.civil-status.birth-registered.v1`,
    messages: o.rawMessages,
    batchSize: 1000,
    record: aBirthRecord(rng, people),
    timeoutMs: 120_000,
    say,
  });
  say(
    `raw Kafka: ${raw.endToEndMessagesPerSecond} messages/s end to end, ${raw.produceMessagesPerSecond}/s produce`,
  );

  const intake = await Intake.open(o.urls.civilStatus);
  say(
    intake.mode === 'batch'
      ? 'intake: POST /births/batch'
      : 'intake: no POST /births/batch here (404); concurrent single POST /births instead',
  );
  const births = new BirthMaker(people, rng);
  const ctx: PhaseContext = {
    send: o.mix
      ? mixed(intake, births, new MixMaker(people, rng), rng, o.urls)
      : birthsOnly(intake, births),
    log,
    seconds: o.seconds,
    inFlight: o.inFlight,
    unit: o.batch,
    txPerRecord: o.mix ? undefined : await birthTransactions(new HubClient(o.urls.hub)),
    drainLimitMs: 5 * 60_000,
    say,
  };
  say(`maximum: open loop for ${o.seconds} s, ${o.inFlight} units of ${o.batch} records in flight`);
  const maximum = await maximumPhase(ctx);
  // Sustained means all the work over all the time it took, backlog included.
  const loggedTxPerSecond = maximum.loggedTxPerSecondWholeRun;
  say(
    `maximum: ${loggedTxPerSecond} logged transactions/s (first send → last receipt), ${maximum.steadyWhileSending?.mean ?? 0}/s while sending`,
  );

  const half = halfLoadRate(loggedTxPerSecond, maximum.txPerRecord);
  const fixedRates = [];
  for (const rate of [half, ...o.rates].filter((r) => r > 0)) {
    await new Promise((r) => setTimeout(r, 2000)); // let the previous phase's tail settle
    say(`fixed rate: ${rate} records/s for ${o.seconds} s`);
    const f = await fixedRatePhase(ctx, rate);
    const all = f.latency.find((l) => l.service === 'all');
    say(`fixed rate ${rate}/s: p50 ${all?.p50Ms} ms, p99 ${all?.p99Ms} ms, max ${all?.maxMs} ms`);
    fixedRates.push(f);
  }
  const halfAll = fixedRates[0]?.latency.find((l) => l.service === 'all');
  const result: FlowResult = {
    date: new Date().toISOString(),
    machine: { ...(await machine(log)), loadAverageAtStart: loadAtStart },
    settings: {
      stack: stackStarted ? 'started by the benchmark' : 'already running',
      intake:
        intake.mode === 'batch' ? 'POST /births/batch' : 'single POST /births (no batch endpoint)',
      workload: o.mix ? 'mix: births, deaths, land registrations, card links' : 'births',
      secondsPerPhase: o.seconds,
      recordsPerUnit: o.batch,
      unitsInFlightMaximum: o.inFlight,
      unitsInFlightPaced: o.inFlight * 2,
      partitions: raw.partitions,
      rawKafkaMessages: o.rawMessages,
      citizensSeeded: o.citizens,
      waitedForAQuietHubSeconds: idleWaitSeconds,
      ...o.knobs,
    },
    loggedTxPerSecond,
    rawKafkaMessagesPerSecond: raw.endToEndMessagesPerSecond,
    halfLoad:
      fixedRates[0] && halfAll
        ? {
            rate: half,
            achievedRate: fixedRates[0].acceptedPerSecond,
            p50Ms: halfAll.p50Ms,
            p95Ms: halfAll.p95Ms,
            p99Ms: halfAll.p99Ms,
            maxMs: halfAll.maxMs,
          }
        : null,
    rawKafka: raw,
    maximum,
    fixedRates,
    failures: [],
  };
  result.failures = failuresOf(result);
  if (!idle) result.failures.push('the hub was still logging earlier traffic when the run began');
  const files = writeReport(o.out, result);
  say(`wrote ${files.join(' and ')}`);
  return result;
}
