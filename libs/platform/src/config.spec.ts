import { ConfigError, loadConfig, ServiceConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  SUBJECT_HASH_KEY: 'a-long-enough-test-key',
  PORT: '3001',
};

describe('loadConfig', () => {
  it('converts and defaults values', () => {
    const c = loadConfig(ServiceConfig, { ...valid, KAFKA_CREATE_TOPICS: 'false' });
    expect(c.PORT).toBe(3001);
    expect(c.KAFKA_CREATE_TOPICS).toBe(false);
    expect(c.KAFKA_BROKERS).toBe('127.0.0.1:9092');
  });

  it('lets the environment override defaults', () => {
    const c = loadConfig(ServiceConfig, { ...valid, PORT: undefined }, { PORT: '4000' });
    expect(c.PORT).toBe(4000);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { PORT: 'abc', KAFKA_BROKERS: 'nohost', PROVINCE_CODE: '03' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT',
      'KAFKA_BROKERS',
      'DATABASE_URL',
      'SUBJECT_HASH_KEY',
      'PROVINCE_CODE',
    ]) {
      expect(problems).toContain(name);
    }
  });
});
