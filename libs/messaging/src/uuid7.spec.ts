import { uuidv7 } from './uuid7';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('puts the time first, with the version and variant bits', () => {
    const id = uuidv7(Date.UTC(2026, 11, 6, 12));
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 6, 12));
  });

  it('never repeats, across many draws of its random pool', () => {
    const ids = new Set<string>();
    const at = Date.now();
    // 2,000 ids in one millisecond and 2,000 in as many: far more random bytes than one pool.
    for (let i = 0; i < 2000; i++) ids.add(uuidv7(at + 1));
    for (let i = 0; i < 2000; i++) ids.add(uuidv7(at + 2 + i));
    expect(ids.size).toBe(4000);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('keeps ids of the same millisecond in order', () => {
    const at = Date.now() + 10_000;
    const ids = Array.from({ length: 100 }, () => uuidv7(at));
    expect([...ids].sort()).toEqual(ids);
  });
});
