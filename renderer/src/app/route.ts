/**
 * Hash routes (`#/cases/12/sessions`). A hash keeps the place across a reload without a
 * server-side router, and works the same under the Electron file/protocol origin and the
 * web host. Pure parse/format so the mapping is tested on its own.
 */
export const CASE_TABS = [
  'overview',
  'parties',
  'officers',
  'sessions',
  'approvals',
  'history',
] as const;
export type CaseTab = (typeof CASE_TABS)[number];

export type Route =
  | { name: 'cases' }
  | { name: 'newCase' }
  | { name: 'case'; id: number; tab: CaseTab }
  /** One session of a case: header, recording controls, transcript (`#/cases/3/sessions/7`). */
  | { name: 'session'; caseId: number; sessionId: number }
  | { name: 'discs'; caseId: number }
  | { name: 'officers' }
  | { name: 'devices' }
  | { name: 'users' }
  /** Storage targets for replication (admin, `#/storage`). */
  | { name: 'storage' };

export const HOME: Route = { name: 'cases' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [head, second, third, fourth] = parts;
  switch (head) {
    case 'cases': {
      if (second === undefined) return HOME;
      if (second === 'new') return { name: 'newCase' };
      const id = Number(second);
      if (!Number.isSafeInteger(id) || id <= 0) return HOME;
      if (third === 'discs') return { name: 'discs', caseId: id };
      const sessionId = Number(fourth);
      if (third === 'sessions' && Number.isSafeInteger(sessionId) && sessionId > 0)
        return { name: 'session', caseId: id, sessionId };
      const tab = (CASE_TABS as readonly string[]).includes(third ?? '')
        ? (third as CaseTab)
        : 'overview';
      return { name: 'case', id, tab };
    }
    case 'officers':
    case 'devices':
    case 'users':
    case 'storage':
      return { name: head };
    default:
      return HOME;
  }
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'cases':
      return '#/cases';
    case 'newCase':
      return '#/cases/new';
    case 'case':
      return route.tab === 'overview' ? `#/cases/${route.id}` : `#/cases/${route.id}/${route.tab}`;
    case 'discs':
      return `#/cases/${route.caseId}/discs`;
    case 'session':
      return `#/cases/${route.caseId}/sessions/${route.sessionId}`;
    default:
      return `#/${route.name}`;
  }
}
