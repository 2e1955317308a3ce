/** Every page's hash route: the shell's pages and the signing pages, in one type. */
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../renderer/src/app/route';

const TOKEN = 'AbC_-123456789012345678901234567890123456789';
const SIGNING_PAGES = ['partySigning', 'deskSigning'];

describe('hash routes', () => {
  it('round-trip', () => {
    const routes: Route[] = [
      { name: 'cases' },
      { name: 'newCase' },
      { name: 'case', id: 12, tab: 'overview' },
      { name: 'case', id: 12, tab: 'sessions' },
      { name: 'officers' },
      { name: 'devices' },
      { name: 'users' },
      { name: 'storage' },
      { name: 'trust' },
      { name: 'settings' },
      { name: 'discs', caseId: 4 },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });

  it('fall back to the case list on anything unknown', () => {
    expect(parseRoute('')).toEqual({ name: 'cases' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'cases' });
    expect(parseRoute('#/cases/-1')).toEqual({ name: 'cases' });
    expect(parseRoute('#/cases/3/bogus')).toEqual({ name: 'case', id: 3, tab: 'overview' });
  });
});

describe('session route', () => {
  it('round-trips and stays under its case', () => {
    const r = { name: 'session', caseId: 3, sessionId: 7 } as const;
    expect(routeHref(r)).toBe('#/cases/3/sessions/7');
    expect(parseRoute('#/cases/3/sessions/7')).toEqual(r);
    expect(parseRoute('#/cases/3/sessions')).toEqual({ name: 'case', id: 3, tab: 'sessions' });
    expect(parseRoute('#/cases/3/sessions/x')).toEqual({ name: 'case', id: 3, tab: 'sessions' });
  });
});

describe('signing routes', () => {
  it('reads the party page and the desk view, and nothing else', () => {
    expect(parseRoute(`#/sign/12/${TOKEN}`)).toEqual({
      name: 'partySigning',
      signingId: 12,
      token: TOKEN,
    });
    expect(parseRoute('#/signing/7')).toEqual({ name: 'deskSigning', sessionId: 7 });
    for (const bad of [
      '#/sign/12',
      '#/sign/0/' + TOKEN,
      '#/sign/x/' + TOKEN,
      '#/sign/12/short',
      `#/sign/12/${TOKEN}/more`,
      '#/sign/12/bad token with spaces!!',
      '#/signing/-1',
      '#/cases/3/sessions/7',
      '',
    ])
      expect(SIGNING_PAGES, bad).not.toContain(parseRoute(bad).name);
    const party = { name: 'partySigning' as const, signingId: 3, token: TOKEN };
    expect(parseRoute(routeHref(party))).toEqual(party);
    const desk = { name: 'deskSigning' as const, sessionId: 7 };
    expect(parseRoute(routeHref(desk))).toEqual(desk);
  });
});

describe('live routes', () => {
  it('reads the observer page under its case and the remote participant page by its token alone', () => {
    const watch = { name: 'live', caseId: 3, sessionId: 7 } as const;
    expect(routeHref(watch)).toBe('#/live/3/7');
    expect(parseRoute('#/live/3/7')).toEqual(watch);
    const join = { name: 'remoteJoin', token: TOKEN } as const;
    expect(routeHref(join)).toBe(`#/join/${TOKEN}`);
    expect(parseRoute(`#/join/${TOKEN}`)).toEqual(join);
    for (const bad of [
      '#/live/3',
      '#/live/0/7',
      '#/live/3/7/x',
      '#/join/short',
      `#/join/${TOKEN}/x`,
    ])
      expect(['cases', 'case']).toContain(parseRoute(bad).name);
  });
});
