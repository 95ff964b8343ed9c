import { GroupCommit } from './group-commit';

/** Resolves once `condition` holds (checked after each turn of the event loop). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

/** A write that holds until the test lets it go, and records what it was given. */
function gatedWriter(fail: (items: string[]) => boolean = () => false) {
  const writes: string[][] = [];
  const gates: (() => void)[] = [];
  let active = 0;
  let overlap = false;
  const write = async (items: string[]) => {
    overlap ||= active > 0;
    active++;
    writes.push(items);
    await new Promise<void>((r) => gates.push(r));
    active--;
    if (fail(items)) throw new Error('constraint violated');
  };
  const releaseAll = async () => {
    while (gates.length) gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { writes, write, releaseAll, overlap: () => overlap };
}

describe('GroupCommit', () => {
  it('writes items handed over while a write is under way together, in order, one write at a time', async () => {
    const w = gatedWriter();
    const group = new GroupCommit<string>(w.write);
    const first = group.submit(['1']);
    await until(() => w.writes.length === 1); // the first write is under way
    const rest = [group.submit(['2', '3']), group.submit(['4'])];
    await w.releaseAll();
    await until(() => w.writes.length === 2);
    await w.releaseAll();
    await Promise.all([first, ...rest]);
    expect(w.writes).toEqual([['1'], ['2', '3', '4']]);
    expect(w.overlap()).toBe(false);
  });

  it('when a merged write fails, fails only the caller whose items fail on their own', async () => {
    const w = gatedWriter((items) => items.includes('bad'));
    const group = new GroupCommit<string>(w.write);
    const first = group.submit(['first']);
    await until(() => w.writes.length === 1);
    const others = [group.submit(['a']), group.submit(['bad']), group.submit(['b'])];
    const settled = Promise.allSettled([first, ...others]);
    // the first write, the merged one (fails), then a, bad, b alone
    for (let n = 2; n <= 5; n++) {
      await w.releaseAll();
      await until(() => w.writes.length === n);
    }
    await w.releaseAll();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(w.writes).toEqual([['first'], ['a', 'bad', 'b'], ['a'], ['bad'], ['b']]);
    const later = group.submit(['later']);
    await until(() => w.writes.length === 6);
    await w.releaseAll();
    await expect(later).resolves.toBeUndefined();
  });
});
