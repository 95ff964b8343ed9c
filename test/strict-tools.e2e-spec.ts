import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { insuranceService } from '@apps/insurance';
import { landService } from '@apps/land';
import { populationService } from '@apps/population-adapter';
import { type BirthRegisteredV1, VALID_EXAMPLES } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  aCitizen,
  addToRegister,
  eventRecord,
  eventually,
  http,
  produceRaw,
  Rng,
  TEST_ADMIN_KEY,
  TestStack,
} from '@lgsp/testing';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What every service publishes about itself, read by the strict tools a member system or
 * an operator would point at it: its OpenAPI document by swagger-parser, its metrics by
 * promtool (Debian's `prometheus` package; `npm test` installs it), and the hub's JSON
 * Schemas by ajv in strict mode. And what it takes: a record of a plain CloudEvents
 * producer, which knows nothing of the LGSP extensions.
 */
const services = [
  civilStatusService,
  landService,
  insuranceService,
  populationService,
  hubService,
] as ServiceDefinition[];
const names = services.map((s) => s.name);

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Runs `promtool check metrics` on an exposition; its exit code and everything it said. */
function promtoolCheck(promtool: string, text: string): Promise<{ code: number; said: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ['check', 'metrics']);
    let said = '';
    child.stdout.on('data', (d: Buffer) => (said += d.toString()));
    child.stderr.on('data', (d: Buffer) => (said += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, said }));
    child.stdin.end(text);
  });
}

/** Where a `$ref` has siblings, which OpenAPI 3.0 readers ignore. */
function referencesWithSiblings(node: unknown, at = '#'): string[] {
  if (!node || typeof node !== 'object') return [];
  const here = '$ref' in node && Object.keys(node).length > 1 ? [at] : [];
  return here.concat(
    ...Object.entries(node).map(([k, v]) => referencesWithSiblings(v, `${at}/${k}`)),
  );
}

const promtool = onPath('promtool');

let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start(services, { suffix: '_strict' });
});

afterAll(() => stack?.close());

describe('what every service publishes, read by strict tools', () => {
  it.each(names)('%s serves an OpenAPI document that swagger-parser validates', async (name) => {
    const served = await http<object>('GET', `${stack.url(name)}/docs-json`);
    expect(served.status).toBe(200);
    expect(referencesWithSiblings(served.body)).toEqual([]);
    // The parser resolves references in place: it gets a copy.
    const problems = await SwaggerParser.validate(structuredClone(served.body) as never).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(problems).toBe('');
  });

  // `npm test` installs promtool, so CI never skips this; a local run of this file alone may.
  (promtool || process.env.CI ? it.each(names) : it.skip.each(names))(
    '%s serves metrics that `promtool check metrics` passes without a warning',
    async (name) => {
      if (!promtool) throw new Error('promtool is missing: apt-get install -y prometheus');
      const scraped = await fetch(`${stack.url(name)}/metrics`);
      const text = await scraped.text();
      expect(text).toContain('lgsp_');
      expect(await promtoolCheck(promtool, text)).toEqual({ code: 0, said: '' });
    },
  );

  it('serves for every event type a JSON Schema that ajv compiles in strict mode', async () => {
    const hub = stack.url('hub');
    const types = await http<{ type: string; schema: string }[]>(
      'GET',
      `${hub}/catalogue/event-types`,
    );
    expect(types.body.length).toBeGreaterThan(0);
    const refused: string[] = [];
    for (const t of types.body) {
      const ajv = new Ajv({ strict: true, allErrors: true });
      addFormats(ajv);
      const { body } = await http<{ examples: unknown[] }>('GET', `${hub}${t.schema}`);
      try {
        const validate = ajv.compile(body);
        if (!validate(body.examples[0])) refused.push(`${t.type}: its example is refused`);
      } catch (e) {
        refused.push(`${t.type}: ${(e as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  });
});

describe('a record of a plain CloudEvents producer', () => {
  const BIRTH = 'civil-status.birth-registered.v1';

  it('without ce_correlationid, opens a case under its ce_id that the whole chain carries', async () => {
    const rng = new Rng(1613);
    const parents = [aCitizen(rng, 'FEMALE'), aCitizen(rng, 'MALE')];
    await addToRegister(stack.databaseUrl('population-adapter'), parents);
    const [mother, father] = parents.map(({ personalId, fullName }) => ({ personalId, fullName }));
    const birth = { ...(VALID_EXAMPLES[BIRTH] as BirthRegisteredV1), mother, father };
    birth.registrationId = randomUUID();
    const { topic, message, eventId } = eventRecord(stack, 'civil-status', BIRTH, birth);
    const headers = { ...message.headers };
    delete headers.ce_correlationid;
    delete headers.ce_causationid;
    await produceRaw(topic, [{ ...message, headers }]);

    type Case = { status: string; steps: { eventId: string; eventType: string }[] };
    const story = await eventually(
      async () => {
        const r = await http<Case>('GET', `${stack.url('hub')}/cases/${eventId}`, undefined, {
          'x-api-key': TEST_ADMIN_KEY,
        });
        const types = r.body.steps?.map((s) => s.eventType) ?? [];
        return types.includes('population.citizen-registered.v1') ? r.body : undefined;
      },
      { what: 'the birth and the registration it caused, in one case', timeoutMs: 60_000 },
    );
    expect(story.steps[0]).toEqual(expect.objectContaining({ eventId, eventType: BIRTH }));
    expect(story.steps.map((s) => s.eventType)).toContain('population.citizen-registered.v1');
  });
});
