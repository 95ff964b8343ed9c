import {
  parseReplicas,
  replicaOf,
  RESTART_POLICY,
  restartDelay,
  restartTracker,
} from './supervisor';

const S = 1000;

describe('npm start supervisor: restarts', () => {
  it('backs off from 1 s, doubling, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n) / S)).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });

  it('restarts a replica that exits, with a growing delay and a count', () => {
    const t = restartTracker();
    t.healthy(0);
    expect(t.exited(10 * S)).toEqual({ restart: true, delayMs: 1 * S, count: 1 });
    t.healthy(15 * S);
    expect(t.exited(20 * S)).toEqual({ restart: true, delayMs: 2 * S, count: 2 });
  });

  it('starts again from 1 s once the replica has been healthy for a minute', () => {
    const t = restartTracker();
    t.exited(0);
    t.exited(2 * S);
    t.healthy(10 * S);
    expect(t.exited(10 * S + RESTART_POLICY.healthyResetMs)).toMatchObject({
      restart: true,
      delayMs: 1 * S,
      count: 3,
    });
  });

  it('keeps backing off when the replica exits before a minute of health', () => {
    const t = restartTracker();
    t.exited(0);
    t.healthy(5 * S);
    expect(t.exited(50 * S)).toMatchObject({ restart: true, delayMs: 2 * S });
  });

  it('gives a replica up at its sixth exit within two minutes', () => {
    const t = restartTracker();
    const decisions = [0, 5, 10, 20, 40, 70].map((s) => t.exited(s * S));
    expect(decisions.slice(0, 5).every((d) => d.restart)).toBe(true);
    expect(decisions[5]).toEqual({ restart: false, count: 5 });
  });

  it('does not give up a replica whose crashes are spread over more than two minutes', () => {
    const t = restartTracker();
    const decisions = [0, 40, 80, 120, 160, 200, 240].map((s) => t.exited(s * S));
    expect(decisions.every((d) => d.restart)).toBe(true);
  });
});

describe('npm start supervisor: replicas', () => {
  const names = ['hub', 'civil-status', 'insurance'];

  it('runs one replica of each service unless told otherwise', () => {
    expect(parseReplicas([], undefined, names)).toEqual({
      hub: 1,
      'civil-status': 1,
      insurance: 1,
    });
  });

  it('reads --replicas (repeated, or with =) and LGSP_REPLICAS; the command line wins', () => {
    expect(
      parseReplicas(
        ['--replicas', 'hub=2', '--replicas=insurance=3'],
        'hub=4,civil-status=2',
        names,
      ),
    ).toEqual({ hub: 2, 'civil-status': 2, insurance: 3 });
  });

  it('refuses an unknown service, a count outside 1..9 and unknown arguments', () => {
    expect(() => parseReplicas(['--replicas', 'hubb=2'], undefined, names)).toThrow(
      /no service named hubb/,
    );
    expect(() => parseReplicas([], 'hub=0', names)).toThrow(/from 1 to 9/);
    expect(() => parseReplicas([], 'hub=10', names)).toThrow(/from 1 to 9/);
    expect(() => parseReplicas(['--replicas', 'hub'], undefined, names)).toThrow(/name=N/);
    expect(() => parseReplicas(['--fast'], undefined, names)).toThrow(/unknown argument/);
  });

  it('gives replica 0 the service’s own name, port and log; others their own', () => {
    const hub = { name: 'hub' };
    expect(replicaOf(hub, 3000, 0)).toEqual({
      app: hub,
      index: 0,
      name: 'hub',
      port: 3000,
      logFile: 'hub.log',
    });
    expect(replicaOf(hub, 3000, 2)).toMatchObject({
      name: 'hub-2',
      port: 3200,
      logFile: 'hub-2.log',
    });
  });
});
