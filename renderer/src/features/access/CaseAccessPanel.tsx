/**
 * The case's 调阅与复制 tab: its team and the reader's own access (the basis the core
 * allows reads on, or why it refuses), assigning a clerk, and the party copies: the sealed
 * files with their classification, a party's copy request, the leader's decision, the copy
 * made and the register.
 */
import { useCallback, useState } from 'react';
import { methods } from '@shared/api';
import type { CaseTeamDto } from '@shared/api/access';
import type { CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { routeHref } from '../../app/route';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { SelectField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { useEnumLabel } from '../../ui/enumLabels';
import { formatDateTime } from '../../ui/time';
import { useSubmit } from '../../ui/useSubmit';
import { useSectionT } from '../../i18n/section';
import { PartyCopies } from './PartyCopiesPanel';
import './access.css';

export function CaseAccessPanel({ detail }: { detail: CaseDetailDto }) {
  const client = useClient();
  const [notice, setNotice] = useState<string | null>(null);
  const team = useResource(
    useCallback(() => client.invoke('access.team', { caseId: detail.id }), [client, detail.id]),
    { keepStale: true },
  );
  useCoreEvent('access.changed', team.reload);
  return (
    <div className="access" data-testid="case-access">
      <Notice text={notice} />
      {!team.data ? (
        <LoadState error={team.error} onRetry={team.reload} />
      ) : (
        <TeamPanel team={team.data} caseId={detail.id} onNotice={setNotice} />
      )}
      <PartyCopies detail={detail} onNotice={setNotice} />
    </div>
  );
}

function TeamPanel({
  team,
  caseId,
  onNotice,
}: {
  team: CaseTeamDto;
  caseId: number;
  onNotice: (text: string) => void;
}) {
  const t = useSectionT('access');
  const label = useEnumLabel();
  const client = useClient();
  const [clerk, setClerk] = useState('');
  const form = useSubmit();
  const me = team.me.view;
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const remove = async (userId: number, name: string) => {
    try {
      await client.invoke('access.removeClerk', { caseId, userId });
      setBanner(null);
      onNotice(t('team.removed', { name }));
    } catch (e) {
      setBanner(formFailure(e).banner);
    }
  };
  return (
    <div className="panel" data-testid="case-team">
      <h2 className="panel__title">{t('team.title')}</h2>
      <p className="muted">{t('team.intro')}</p>
      {team.filed ? <p className="banner banner--warning">{t('team.filed')}</p> : null}
      {banner ? <ErrorBanner message={banner} /> : null}
      <ul className="access__team">
        {team.members.map((m) => (
          <li key={`${m.officerId ?? 'u'}-${m.userId ?? ''}`}>
            <strong>{m.name}</strong>{' '}
            <span className="muted">
              {m.basis.map((b) => label('teamBasis', b)).join('、')}
              {m.sessionRoles.length
                ? `（${m.sessionRoles
                    .map((r) => label('officerSessionRole', r as 'interviewer'))
                    .join('、')}）`
                : ''}
            </span>
            {team.mayAssign && m.basis.includes('clerk') && m.userId !== null ? (
              <button
                type="button"
                className="button button--small"
                onClick={() => void remove(m.userId!, m.name)}
              >
                {t('team.remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <h3>{t('team.me')}</h3>
      <p data-testid="my-access">
        {me?.kind === 'team'
          ? t('team.byTeam')
          : me?.kind === 'grant'
            ? t('team.byGrant', {
                id: me.grantId,
                mode: label('accessMode', team.me.copy ? 'copy' : 'view'),
                at: formatDateTime(me.validUntil),
              })
            : t('team.noAccess', { reason: team.me.refusal ?? '' })}
      </p>
      {me?.kind !== 'team' ? (
        <a className="button" href={routeHref({ name: 'access', caseId })}>
          {t('team.ask')}
        </a>
      ) : null}
      {team.mayAssign && team.clerkCandidates.length ? <h3>{t('team.assignClerk')}</h3> : null}
      {team.mayAssign && team.clerkCandidates.length ? (
        <Form
          label={t('team.assignClerk')}
          submitLabel={t('team.assign')}
          {...form.status}
          onSubmit={() =>
            void form.submit({
              check: () =>
                validate(methods['access.assignClerk'].input, { caseId, userId: Number(clerk) }),
              send: (input) => client.invoke('access.assignClerk', input),
              done: () => {
                const name = team.clerkCandidates.find((c) => String(c.userId) === clerk)?.name;
                setClerk('');
                onNotice(t('team.assigned', { name: name ?? '' }));
              },
            })
          }
        >
          <SelectField
            label={t('team.clerk')}
            value={clerk}
            onChange={setClerk}
            options={team.clerkCandidates.map((c) => ({ value: String(c.userId), label: c.name }))}
            error={form.errors.userId}
          />
        </Form>
      ) : null}
    </div>
  );
}
