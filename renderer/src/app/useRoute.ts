/**
 * The one hook on the address: the current route, re-read on back/forward and on links, and
 * the one way code moves to another.
 */
import { useSyncExternalStore } from 'react';
import { parseRoute, routeHref, type Route } from './route';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const snapshot = () => window.location.hash;

/** The current hash route; re-renders on back/forward and on links. */
export function useRoute(): Route {
  // Parsed per render; cheap, and a new object per render does not matter to the callers.
  return parseRoute(useSyncExternalStore(subscribe, snapshot));
}

/** Goes to a route; `replace` for moves within a screen (tabs) that Back should skip. */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  if (options.replace) window.location.replace(href);
  else window.location.hash = href;
}
