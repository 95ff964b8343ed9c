/** The hub's HTTP API as hubctl uses it; `apiKey` is sent when given (HUB_API_KEY). */
export class HubClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.call<T>('GET', path, query);
  }

  /** The body of a GET, as a stream (for exports). */
  async stream(
    path: string,
    query: Record<string, string | undefined>,
  ): Promise<ReadableStream<Uint8Array>> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const res = await fetch(url, { headers: this.apiKey ? { 'x-api-key': this.apiKey } : {} });
    if (!res.ok || !res.body) return failed(res);
    return res.body;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, {}, body);
  }

  /** A POST whose answer is a document (CSV, HTML), as text. */
  async postText(path: string, body: unknown): Promise<string> {
    const res = await this.send('POST', path, {}, body);
    if (!res.ok) await failed(res);
    return res.text();
  }

  private async call<T>(
    method: string,
    path: string,
    query: Record<string, string | undefined>,
    body?: unknown,
  ): Promise<T> {
    const res = await this.send(method, path, query, body);
    const answer = (await res.json()) as T & { code?: string; message?: string };
    if (!res.ok) throw new Error(`${res.status} ${answer.code ?? ''}: ${answer.message ?? ''}`);
    return answer;
  }

  private async send(
    method: string,
    path: string,
    query: Record<string, string | undefined>,
    body?: unknown,
  ): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.apiKey) headers['x-api-key'] = this.apiKey;
    try {
      return await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new Error(
        `the hub does not answer at ${this.baseUrl} (${(e as Error).message}); is it running?`,
      );
    }
  }
}

/** Throws the hub's refusal as `status code: message`. */
async function failed(res: Response): Promise<never> {
  const answer = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  throw new Error(`${res.status} ${answer.code ?? ''}: ${answer.message ?? ''}`);
}
