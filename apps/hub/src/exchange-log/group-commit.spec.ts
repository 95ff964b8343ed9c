import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes items handed over while a write is under way together, in order, one write at a time', async () => {
    const writes: number[][] = [];
    let active = 0;
    let overlap = false;
    const group = new GroupCommit<number>(async (items) => {
      overlap ||= active > 0;
      active++;
      writes.push(items);
      await new Promise((r) => setTimeout(r, 10));
      active--;
    });
    const first = group.submit([1]);
    await new Promise((r) => setTimeout(r, 1)); // the first write is under way
    const rest = [group.submit([2, 3]), group.submit([4])];
    await Promise.all([first, ...rest]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
    expect(overlap).toBe(false);
  });

  it('when a merged write fails, fails only the caller whose items fail on their own', async () => {
    const written: string[][] = [];
    const group = new GroupCommit<string>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      if (items.includes('bad')) throw new Error('constraint violated');
      written.push(items);
    });
    const first = group.submit(['first']);
    await new Promise((r) => setTimeout(r, 1));
    const results = await Promise.allSettled([
      first,
      group.submit(['a']),
      group.submit(['bad']),
      group.submit(['b']),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(written).toEqual([['first'], ['a'], ['b']]);
    await expect(group.submit(['later'])).resolves.toBeUndefined();
  });
});
