import { ANSWER_LIMITS, tooLarge } from './response-body';

/*
 * The parts of the Fetch API's Headers and Response that the providers' SDKs use, for the answers
 * `providerFetch` receives over node:http. Node's own classes come with undici, which takes about
 * 25 ms and 12 MiB to load: a CLI run that never needs them never loads it.
 */

type HeadersInit = ConstructorParameters<typeof Headers>[0];
type PairIterator = ReturnType<Headers['entries']>;
type NameIterator = ReturnType<Headers['keys']>;
type HeaderInput = HeadersInit | Record<string, string | readonly string[] | number | undefined>;

/** Headers with the Fetch API's reading methods: names lower-cased, iterated in sorted order. */
export class PlainHeaders implements Headers {
  private readonly map = new Map<string, string[]>();

  constructor(init?: HeaderInput) {
    if (init === undefined || init === null) return;
    if (typeof (init as Headers).forEach === 'function' && !Array.isArray(init)) {
      (init as Headers).forEach((value, name) => this.append(name, value));
    } else if (Array.isArray(init)) {
      for (const pair of init as [string, string][]) this.append(pair[0], pair[1]);
    } else {
      for (const [name, value] of Object.entries(init)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const v of value as string[]) this.append(name, v);
        else this.append(name, String(value));
      }
    }
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const list = this.map.get(key);
    if (list) list.push(String(value).trim());
    else this.map.set(key, [String(value).trim()]);
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase())?.join(', ') ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.map.get('set-cookie') ?? [])];
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), [String(value).trim()]);
  }

  forEach(
    callback: (value: string, key: string, parent: Headers) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  *entries(): PairIterator {
    for (const name of [...this.map.keys()].sort()) {
      if (name === 'set-cookie') for (const v of this.map.get(name)!) yield [name, v];
      else yield [name, this.get(name)!];
    }
  }

  *keys(): NameIterator {
    for (const [name] of this.entries()) yield name;
  }

  *values(): NameIterator {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): PairIterator {
    return this.entries();
  }
}

/** A name and value list for node:http from any of the Fetch API's header forms. */
export function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new PlainHeaders(init).forEach((value, name) => {
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  });
  return out;
}

/** A Response with the Fetch API's reading methods, over a body stream that is read once. */
export class PlainResponse implements Response {
  readonly ok: boolean;
  readonly type: Response['type'] = 'basic';
  private consumed = false;

  constructor(
    private stream: ReadableStream<Uint8Array> | null,
    readonly status: number,
    readonly statusText: string,
    readonly headers: PlainHeaders,
    readonly url: string,
    /** Whether a redirect was followed on the way. */
    readonly redirected = false,
  ) {
    this.ok = status >= 200 && status <= 299;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.stream;
  }

  get bodyUsed(): boolean {
    return this.consumed || (this.stream?.locked ?? false);
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.consumed = true;
    if (this.stream === null) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.stream) {
      parts.push(chunk);
      size += chunk.byteLength;
      // Leaving the loop cancels the body, which closes the connection.
      if (size > ANSWER_LIMITS.wholeBytes) {
        throw new TypeError('terminated', {
          cause: tooLarge(`${ANSWER_LIMITS.wholeBytes / (1024 * 1024)} MiB`),
        });
      }
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  formData(): Promise<FormData> {
    return Promise.reject(new TypeError('formData() is not supported for a model answer'));
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    let copy: ReadableStream<Uint8Array> | null = null;
    if (this.stream !== null) [this.stream, copy] = this.stream.tee();
    return new PlainResponse(
      copy,
      this.status,
      this.statusText,
      this.headers,
      this.url,
      this.redirected,
    );
  }
}
