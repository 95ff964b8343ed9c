/** The hub's HTTP API as hubctl uses it. */
export class HubClient {
  constructor(private readonly baseUrl: string) {}

  async get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new Error(
        `the hub does not answer at ${this.baseUrl} (${(e as Error).message}); is it running?`,
      );
    }
    const body = (await res.json()) as T & { code?: string; message?: string };
    if (!res.ok) throw new Error(`${res.status} ${body.code ?? ''}: ${body.message ?? ''}`);
    return body;
  }
}
