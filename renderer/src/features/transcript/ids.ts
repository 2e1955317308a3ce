/**
 * Ids of turns and markers, made in the renderer so an action can be applied locally before
 * the core sees it. 128 random bits: two windows never pick the same one, which is what lets
 * a replayed action recognise itself (queue.ts). Fits the contract's id pattern.
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
