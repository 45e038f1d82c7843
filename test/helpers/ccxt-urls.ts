/** Points every URL of a ccxt exchange's `urls.api` at the simulator, keeping the venue's host as the first path segment. */
export function localizeCcxtUrls(node: unknown, hostFor: (venueHost: string) => string): unknown {
  if (typeof node === 'string') {
    const m = /^(wss?|https?):\/\/([^/]+)(\/.*)?$/.exec(node);
    if (m === null) return node;
    const host = m[2] as string;
    return `${(m[1] as string).startsWith('ws') ? 'ws' : 'http'}://${hostFor(host)}/${host}${m[3] ?? ''}`;
  }
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, localizeCcxtUrls(v, hostFor)]));
  return node;
}
