/**
 * Hash routes of review and signing, apart from the app's routes (renderer/src/lib/route.ts):
 * - `#/sign/<signingId>/<token>`: the party's signing page (no sign-in, no navigation; the
 *   token in the address reaches this one signing and nothing else);
 * - `#/signing/<sessionId>`: the officers' desk view of a session's signing.
 */
import { useSyncExternalStore } from 'react';

export type SigningRoute =
  { name: 'party'; signingId: number; token: string } | { name: 'desk'; sessionId: number };

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export function parseSigningRoute(hash: string): SigningRoute | null {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean);
  const [head, id, token] = parts;
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) return null;
  if (head === 'sign' && parts.length === 3 && token && TOKEN.test(token))
    return { name: 'party', signingId: n, token };
  if (head === 'signing' && parts.length === 2) return { name: 'desk', sessionId: n };
  return null;
}

export function signingHref(route: SigningRoute): string {
  return route.name === 'party'
    ? `#/sign/${route.signingId}/${route.token}`
    : `#/signing/${route.sessionId}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The signing route of the current address, or null for any other page. */
export function useSigningRoute(): SigningRoute | null {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  // Parsed per render; cheap, and a new object per render does not matter to the callers.
  return parseSigningRoute(hash);
}
