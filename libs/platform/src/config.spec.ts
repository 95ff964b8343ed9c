import { Expose } from 'class-transformer';
import { IsString } from 'class-validator';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, ServiceConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  SUBJECT_HASH_KEY: 'a-long-enough-test-key',
  PORT: '3001',
};
const withoutKey = { DATABASE_URL: valid.DATABASE_URL, PORT: valid.PORT };

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

  it('reads the subject hash key from the file SUBJECT_HASH_KEY_FILE names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lgsp-config-')), 'subject-hash.key');
    writeFileSync(file, 'a-key-from-a-mounted-secret\n');
    const c = loadConfig(ServiceConfig, { ...withoutKey, SUBJECT_HASH_KEY_FILE: file });
    expect(c.SUBJECT_HASH_KEY).toBe('a-key-from-a-mounted-secret');
  });

  it("reads the hub's administrator key from the file HUB_ADMIN_KEY_FILE names", () => {
    class WithAdminKey extends ServiceConfig {
      @Expose()
      @IsString()
      HUB_ADMIN_KEY: string;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'lgsp-config-')), 'hub-admin.key');
    writeFileSync(file, 'an-admin-key-from-a-mounted-secret\n');
    const c = loadConfig(WithAdminKey, { ...valid, HUB_ADMIN_KEY_FILE: file });
    expect(c.HUB_ADMIN_KEY).toBe('an-admin-key-from-a-mounted-secret');
  });

  it('refuses a key file it cannot read, and a key given both ways', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(ServiceConfig, env);
      } catch (e) {
        return (e as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(
      problems({ ...withoutKey, SUBJECT_HASH_KEY_FILE: '/nonexistent/subject-hash.key' }),
    ).toMatch(/SUBJECT_HASH_KEY_FILE \(given\): cannot read .*ENOENT/);
    expect(problems({ ...valid, SUBJECT_HASH_KEY_FILE: '/nonexistent/subject-hash.key' })).toMatch(
      /give SUBJECT_HASH_KEY or SUBJECT_HASH_KEY_FILE, not both/,
    );
  });
});
