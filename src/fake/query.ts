// Envoy-style query parsing (Http::Utility::QueryParamsMulti::parseAndDecodeQueryString):
// a key without `=` is present with an empty value, keys and values are percent-decoded, `+` stays
// `+` (URLSearchParams would turn it into a space), and raw `^ $ | ( ) \` pass through untouched.

export class Query {
  constructor(private readonly params: ReadonlyMap<string, readonly string[]>) {}

  /** Present at all, with or without a value: `?graceful` counts. */
  has(key: string): boolean {
    return this.params.has(key);
  }

  /** Envoy reads the first value of a repeated key (`getFirstValue`). */
  first(key: string): string | undefined {
    return this.params.get(key)?.[0];
  }
}

export interface Target {
  /** Everything before `?`: what admin routes match exactly. */
  path: string;
  query: Query;
}

export function parseTarget(pathAndQuery: string): Target {
  const at = pathAndQuery.indexOf('?');
  const path = at === -1 ? pathAndQuery : pathAndQuery.slice(0, at);
  const params = new Map<string, string[]>();
  if (at !== -1) {
    for (const part of pathAndQuery.slice(at + 1).split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const key = percentDecode(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? '' : percentDecode(part.slice(eq + 1));
      params.set(key, [...(params.get(key) ?? []), value]);
    }
  }
  return { path, query: new Query(params) };
}

/** `%XX` → byte, then UTF-8; a malformed `%` sequence is kept as written (Envoy's PercentEncoding::decode). */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
