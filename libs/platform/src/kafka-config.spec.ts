import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaAuthOf } from './bootstrap';
import { type ConfigError, loadConfig, ServiceConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  SUBJECT_HASH_KEY: 'a-long-enough-test-key',
  PORT: '3002',
};

describe("a service's own principal on the broker", () => {
  it('connects without SASL when no principal is given', () => {
    expect(kafkaAuthOf(loadConfig(ServiceConfig, valid))).toEqual({});
  });

  it('reads the password from the file KAFKA_SASL_PASSWORD_FILE names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lgsp-kafka-')), 'land.password');
    writeFileSync(file, 'from-a-mounted-secret\n');
    const config = loadConfig(ServiceConfig, {
      ...valid,
      KAFKA_SASL_USERNAME: 'land',
      KAFKA_SASL_PASSWORD_FILE: file,
      KAFKA_SSL: 'true',
    });
    expect(kafkaAuthOf(config)).toEqual({
      sasl: { username: 'land', password: 'from-a-mounted-secret' },
      ssl: {},
    });
  });

  it('refuses a principal without a password, saying what is missing', () => {
    let problems = '';
    try {
      loadConfig(ServiceConfig, { ...valid, KAFKA_SASL_USERNAME: 'land' });
    } catch (e) {
      problems = (e as ConfigError).problems.join('\n');
    }
    expect(problems).toMatch(
      /KAFKA_SASL_PASSWORD .*KAFKA_SASL_USERNAME needs KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE/,
    );
  });
});
