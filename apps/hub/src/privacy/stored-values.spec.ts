import { subjectKey } from '@lgsp/messaging';
import { randomUUID } from 'node:crypto';
import {
  REDACTED,
  scrubbed,
  StoredValues,
  storedErrorCode,
  UNREADABLE_ERROR_CODE,
} from './stored-values';

const KEY = 'spec-subject-hash-key-0123456789';
const values = new StoredValues(KEY);
const PERSONAL_ID = '001190012345';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the subject hash the hub computes', () => {
  it('is the HMAC an auditor’s search by ID number is hashed with', () => {
    expect(values.subjectHash(PERSONAL_ID)).toBe(subjectKey(KEY, PERSONAL_ID));
    expect(values.subjectHash('birth:42')).toBe(subjectKey(KEY, 'birth:42'));
  });

  it('depends on the key and never holds the subject', () => {
    const hash = values.subjectHash(PERSONAL_ID);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(new StoredValues(`${KEY}-other`).subjectHash(PERSONAL_ID));
  });
});

describe('an event or correlation id as the hub stores it', () => {
  it('keeps a UUID as it is', () => {
    const id = randomUUID();
    expect(values.id(id)).toBe(id);
    expect(values.id(id.toUpperCase())).toBe(id.toUpperCase());
  });

  it('derives a UUID from anything else, the same every time, without the value in it', () => {
    for (const given of [PERSONAL_ID, `case-${PERSONAL_ID}`, 'case-flows-birth', 'x/0/17']) {
      const stored = values.id(given);
      expect(stored).toMatch(UUID);
      expect(values.id(given)).toBe(stored);
      expect(stored.replace(/-/g, '')).not.toContain(PERSONAL_ID);
    }
    expect(values.id('a')).not.toBe(values.id('b'));
  });

  it('derives ids apart from subject hashes, and stores a derived id as it is', () => {
    const stored = values.id(PERSONAL_ID);
    expect(values.subjectHash(PERSONAL_ID).startsWith(stored.replace(/-/g, '').slice(0, 12))).toBe(
      false,
    );
    expect(values.id(stored)).toBe(stored);
  });

  it('is searched as stored and as given', () => {
    const id = randomUUID();
    expect(values.searchedIds(id)).toEqual([id]);
    expect(values.searchedIds('case-7')).toEqual([values.id('case-7'), 'case-7']);
  });

  it('passes a caller’s correlation id on unless it holds nine digits or more', () => {
    expect(values.carriedId('case-flows-birth')).toBe('case-flows-birth');
    expect(values.carriedId('case-12345678')).toBe('case-12345678');
    expect(values.carriedId(`death-of-${PERSONAL_ID}`)).toBe(values.id(`death-of-${PERSONAL_ID}`));
    expect(values.carriedId('ref-123456789')).toMatch(UUID);
    const uuidWithDigits = '0190a7c4-1f2e-7abc-8def-123456789012';
    expect(values.carriedId(uuidWithDigits)).toBe(uuidWithDigits);
  });
});

describe('free text as the hub stores and logs it', () => {
  it('loses every run of nine digits or more', () => {
    expect(scrubbed(`mother ${PERSONAL_ID} not found`)).toBe(`mother ${REDACTED} not found`);
    expect(scrubbed('old card 123456789, new 0011900123456789')).toBe(
      `old card ${REDACTED}, new ${REDACTED}`,
    );
    expect(scrubbed(`/lgsp/01/${PERSONAL_ID} is not the provider`)).not.toMatch(/[0-9]{9}/);
  });

  it('keeps shorter numbers and text without digits as they are', () => {
    const text = 'data is 1000001 bytes; province 01; code 12345678';
    expect(scrubbed(text)).toBe(text);
    expect(scrubbed('plain')).toBe('plain');
  });

  it('drops NUL characters, even one splitting an ID', () => {
    expect(scrubbed('a\u0000b')).toBe('ab');
    expect(scrubbed('001190\u0000012345')).toBe(REDACTED);
  });

  it('replaces half a surrogate pair, which jsonb refuses, and keeps whole pairs', () => {
    expect(scrubbed('property \uDFD2x\uD84E should not exist')).toBe(
      'property \uFFFDx\uFFFD should not exist',
    );
    expect(scrubbed('😀 ok')).toBe('😀 ok');
    expect(JSON.stringify(scrubbed(`${'😀'.repeat(3)}`.slice(0, 5)))).not.toMatch(/\\ud/i);
  });
});

describe('an error code as the hub stores it', () => {
  it('keeps a code and replaces anything else', () => {
    expect(storedErrorCode('POPULATION.PARENT_NOT_FOUND')).toBe('POPULATION.PARENT_NOT_FOUND');
    expect(storedErrorCode('HTTP_4XX')).toBe('HTTP_4XX');
    expect(storedErrorCode(`E${PERSONAL_ID}`)).toBe(UNREADABLE_ERROR_CODE);
    expect(storedErrorCode('parent 0011 not found')).toBe(UNREADABLE_ERROR_CODE);
    expect(storedErrorCode(`A.${'B'.repeat(100)}`)).toBe(UNREADABLE_ERROR_CODE);
  });
});
