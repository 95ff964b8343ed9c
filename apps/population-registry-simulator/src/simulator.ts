import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseBehaviour, type Behaviour } from './behaviour';
import { readJson, send, sendError } from './http-io';
import { InMemoryPopulationRegister, type SimulatedCitizen } from './register';
import {
  checkCitizens,
  checkDeaths,
  checkIdentityChecks,
  checkNewborns,
  isPersonalId,
  type Checked,
} from './request-validation';

export interface PopulationSimulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, every /v1 request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * A path the API is served under (`/dancu`: `/dancu/v1/…`), as behind a gateway; `url`
   * then ends with it. The `/_simulator/` routes stay at the root.
   */
  basePath?: string;
}

export interface RequestCounts {
  total: number;
  /** Per route, e.g. `POST /v1/newborns`, `GET /v1/citizens/{personalId}`. */
  byRoute: Record<string, number>;
}

export interface PopulationSimulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  seed(citizens: SimulatedCitizen[]): void;
  behave(b: Behaviour): void;
  /** Contract requests (paths under /v1) received, whatever they were answered. */
  requests(): RequestCounts;
  /** Empties the register, goes back to normal behaviour and zeroes the counts. */
  reset(): void;
  /** Stops listening and cuts every open connection, hanging ones included. */
  close(): Promise<void>;
}

const NORMAL: Behaviour = { mode: 'normal' };
const GARBAGE_HTML = '<html><body>maintenance</body></html>';

/**
 * Serves the National Population Database contract
 * (apps/population-adapter/contract/national-population-api.yaml) from memory, so the
 * hub's HTTP adapter can be tested against a faithful peer. In `normal` behaviour every
 * answer matches the contract; the other behaviours misbehave the ways a remote register
 * does (slow, failing, garbage, hanging) for the next `count` contract requests. The
 * `/_simulator/` control routes are never counted, authenticated or misbehaved.
 */
class Simulator implements PopulationSimulator {
  url = '';
  private readonly register = new InMemoryPopulationRegister();
  private readonly server = createServer((req, res) => this.serve(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly closing = new AbortController();
  private closed?: Promise<void>;
  private behaviour = NORMAL;
  private counts: RequestCounts = { total: 0, byRoute: {} };

  constructor(
    private readonly token?: string,
    private readonly basePath = '',
  ) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${hostInUrl}:${address.port}${this.basePath}`;
  }

  seed(citizens: SimulatedCitizen[]): void {
    this.register.seed(citizens);
  }

  behave(b: Behaviour): void {
    this.behaviour = b;
  }

  requests(): RequestCounts {
    return { total: this.counts.total, byRoute: { ...this.counts.byRoute } };
  }

  reset(): void {
    this.register.clear();
    this.behaviour = NORMAL;
    this.counts = { total: 0, byRoute: {} };
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.closing.abort();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closed;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const underBase = path.startsWith(`${this.basePath}/`);
    const handled = path.startsWith('/_simulator/')
      ? this.control(req, res, path)
      : underBase
        ? this.contract(req, res, path.slice(this.basePath.length))
        : Promise.resolve(sendError(res, 404, 'NOT_FOUND', `no route ${path}`));
    handled.catch((e: unknown) => {
      sendError(res, 500, 'UNAVAILABLE', `simulator error: ${String(e)}`);
    });
  }

  private async contract(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!path.startsWith('/v1/')) return sendError(res, 404, 'NOT_FOUND', `no route ${path}`);
    const route = `${req.method} ${path.replace(/^\/v1\/citizens\/[^/]+$/, '/v1/citizens/{personalId}')}`;
    this.counts.total++;
    this.counts.byRoute[route] = (this.counts.byRoute[route] ?? 0) + 1;

    const b = this.takeBehaviour();
    if (b.mode === 'hang') return; // the socket stays open until the client or close() cuts it
    if (b.mode === 'fail') return this.fail(res, b.status ?? 503, b.retryAfterSeconds);
    if (b.mode === 'garbage') return this.garbage(res, b.kind ?? 'not-json', req.method);
    if (b.mode === 'slow') {
      const late = await sleep(b.delayMs, false, { signal: this.closing.signal }).catch(() => true);
      if (late) return;
    }
    if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
      return sendError(res, 401, 'UNAUTHORISED', 'a valid bearer token is required');
    }
    await this.answer(req, res, route, path);
  }

  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    path: string,
  ): Promise<void> {
    const batch = <T, R>(check: (b: unknown) => Checked<T[]>, one: (item: T) => R) =>
      readJson(req).then((body) => {
        const checked = check(body);
        if (!checked.ok) return sendError(res, 400, 'BAD_REQUEST', checked.problem);
        send(res, 200, { results: checked.value.map(one) });
      });
    switch (route) {
      case 'POST /v1/identity-checks':
        return batch(checkIdentityChecks, (i) => this.register.checkIdentity(i));
      case 'POST /v1/newborns':
        return batch(checkNewborns, (i) => this.register.registerNewborn(i));
      case 'POST /v1/deaths':
        return batch(checkDeaths, (i) => this.register.recordDeath(i));
      case 'GET /v1/citizens/{personalId}': {
        const personalId = path.slice('/v1/citizens/'.length);
        if (!isPersonalId(personalId)) {
          return sendError(res, 400, 'BAD_REQUEST', 'personalId must be a 12-digit personal ID');
        }
        const citizen = this.register.citizen(personalId);
        if (!citizen) return sendError(res, 404, 'NOT_FOUND', `${personalId} is not registered`);
        return send(res, 200, citizen);
      }
      default:
        return sendError(res, 404, 'NOT_FOUND', `no route ${route}`);
    }
  }

  /** The behaviour for this request; a counted behaviour runs out and turns normal. */
  private takeBehaviour(): Behaviour {
    const b = this.behaviour;
    if (b.count === undefined) return b;
    if (b.count <= 0) return (this.behaviour = NORMAL);
    this.behaviour = b.count === 1 ? NORMAL : { ...b, count: b.count - 1 };
    return b;
  }

  private fail(res: ServerResponse, status: number, retryAfterSeconds?: number): void {
    if (status === 429) {
      sendError(res, 429, 'TOO_MANY_REQUESTS', 'simulated rate limit', {
        'retry-after': String(retryAfterSeconds ?? 1),
      });
    } else {
      const headers =
        status === 503 && retryAfterSeconds !== undefined
          ? { 'retry-after': String(retryAfterSeconds) }
          : undefined;
      sendError(res, status, 'UNAVAILABLE', `simulated failure (${status})`, headers);
    }
  }

  private garbage(res: ServerResponse, kind: 'not-json' | 'wrong-shape', method?: string): void {
    if (kind === 'wrong-shape')
      return send(res, 200, method === 'GET' ? { personalId: 42 } : { results: [] });
    res.writeHead(200, { 'content-type': 'text/html' }).end(GARBAGE_HTML);
  }

  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = `${req.method} ${path}`;
    if (route === 'POST /_simulator/citizens') {
      const checked = checkCitizens(await readJson(req));
      if (!checked.ok) return sendError(res, 400, 'BAD_REQUEST', checked.problem);
      this.seed(checked.value);
      return send(res, 201, { seeded: checked.value.length });
    }
    if (route === 'PUT /_simulator/behaviour') {
      const parsed = parseBehaviour(await readJson(req));
      if (!parsed.ok) return sendError(res, 400, 'BAD_REQUEST', parsed.problem);
      this.behave(parsed.value);
      return send(res, 200, parsed.value);
    }
    if (route === 'GET /_simulator/requests') return send(res, 200, this.requests());
    if (route === 'POST /_simulator/reset') {
      this.reset();
      return send(res, 204);
    }
    sendError(res, 404, 'NOT_FOUND', `no control route ${route}`);
  }
}

/** Starts a simulator; see `PopulationSimulator` for what it offers. */
export async function startPopulationSimulator(
  opts: PopulationSimulatorOptions = {},
): Promise<PopulationSimulator> {
  const simulator = new Simulator(opts.token, (opts.basePath ?? '').replace(/\/+$/, ''));
  await simulator.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return simulator;
}
