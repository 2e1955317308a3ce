/**
 * Hash routes (`#/cases/12/sessions`), every page of the renderer in one type. A hash keeps
 * the place across a reload without a server-side router, and works the same under the
 * Electron file/protocol origin and the web host. Pure parse/format so the mapping is tested
 * on its own; {@link useRoute} reads the current one.
 */
export const CASE_TABS = [
  'overview',
  'parties',
  'officers',
  'sessions',
  'approvals',
  'documents',
  'filing',
  'access',
  'hearing',
  'history',
] as const;
export type CaseTab = (typeof CASE_TABS)[number];

/** The pages inside the app's shell (signed in, with navigation). */
export type ShellRoute =
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
  | { name: 'storage' }
  /** Certificates and trust: the agency register, this workstation's certificate, the TSA (`#/trust`). */
  | { name: 'trust' }
  /** The agency's settings: its time zone (`#/settings`). */
  | { name: 'settings' }
  /** The audit viewer (`#/audit`). */
  | { name: 'audit' }
  /** Supervision statistics (`#/stats`). */
  | { name: 'stats' }
  /** Access requests and grants (`#/access`; `#/access/<caseId>` asks for that case). */
  | { name: 'access'; caseId?: number }
  /** Applications and complaints as they come in (`#/intake`). */
  | { name: 'intake' }
  /** The filing deadlines of open cases and the retention register (`#/filing`). */
  | { name: 'filing' }
  /** The officers' desk view of a session's signing (`#/signing/<sessionId>`), in the shell. */
  | { name: 'deskSigning'; sessionId: number }
  /** Watching a recording session live (`#/live/<caseId>/<sessionId>`), under the access check. */
  | { name: 'live'; caseId: number; sessionId: number };

/**
 * The party's signing page (`#/sign/<signingId>/<token>`), shown without the shell: no
 * sign-in, no navigation; the token in the address reaches this one signing and nothing else.
 */
export type SigningRoute = { name: 'partySigning'; signingId: number; token: string };

/**
 * A remote participant's page (`#/join/<token>`), without the shell or a sign-in: the
 * invitation's token admits its holder to one session's live room and nothing else.
 */
export type JoinRoute = { name: 'remoteJoin'; token: string };

export type Route = ShellRoute | SigningRoute | JoinRoute;

export const HOME: ShellRoute = { name: 'cases' };

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** Reads a hash; anything it does not know is the case list. */
export function parseRoute(hash: string): Route {
  return parseSigningRoute(hash) ?? parseJoinRoute(hash) ?? parseShellRoute(hash);
}

function parseJoinRoute(hash: string): JoinRoute | null {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean);
  const [head, token] = parts;
  return head === 'join' && parts.length === 2 && token && TOKEN.test(token)
    ? { name: 'remoteJoin', token }
    : null;
}

function parseSigningRoute(hash: string): SigningRoute | null {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean);
  const [head, id, token] = parts;
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) return null;
  if (head === 'sign' && parts.length === 3 && token && TOKEN.test(token))
    return { name: 'partySigning', signingId: n, token };
  return null;
}

function parseShellRoute(hash: string): ShellRoute {
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
    case 'access': {
      const caseId = Number(second);
      return Number.isSafeInteger(caseId) && caseId > 0
        ? { name: 'access', caseId }
        : { name: 'access' };
    }
    case 'live': {
      const caseId = Number(second);
      const sessionId = Number(third);
      return [caseId, sessionId].every((n) => Number.isSafeInteger(n) && n > 0) &&
        fourth === undefined
        ? { name: 'live', caseId, sessionId }
        : HOME;
    }
    case 'signing': {
      const sessionId = Number(second);
      return Number.isSafeInteger(sessionId) && sessionId > 0 && third === undefined
        ? { name: 'deskSigning', sessionId }
        : HOME;
    }
    case 'officers':
    case 'devices':
    case 'users':
    case 'storage':
    case 'trust':
    case 'settings':
    case 'audit':
    case 'stats':
    case 'intake':
    case 'filing':
      return { name: head };
    default:
      return HOME;
  }
}

/** The hash of a route, as links and {@link navigate} write it. */
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
    case 'partySigning':
      return `#/sign/${route.signingId}/${route.token}`;
    case 'remoteJoin':
      return `#/join/${route.token}`;
    case 'deskSigning':
      return `#/signing/${route.sessionId}`;
    case 'live':
      return `#/live/${route.caseId}/${route.sessionId}`;
    case 'access':
      return route.caseId ? `#/access/${route.caseId}` : '#/access';
    default:
      return `#/${route.name}`;
  }
}
