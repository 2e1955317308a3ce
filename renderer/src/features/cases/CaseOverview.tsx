import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetailDto } from '@shared/domain';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel } from '../../ui/enumLabels';
import { InitiationCard } from '../casework/InitiationCard';

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="facts__item">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** 概况: what the case is, how it started (R1.2), who handles it, who is involved. */
export function CaseOverview({ detail }: { detail: CaseDetailDto }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const none = t('common.none');
  const { origin } = detail;
  return (
    <div className="overview">
      <section className="panel" aria-labelledby="overview-facts">
        <h2 id="overview-facts" className="panel__title">
          {t('caseForm.basics')}
        </h2>
        <dl className="facts">
          <Item term={t('caseForm.caseNo')}>{detail.caseNo}</Item>
          <Item term={t('caseForm.matterKind')}>{label('matterKind', detail.matterKind)}</Item>
          <Item term={t('caseForm.cause')}>{detail.cause}</Item>
          <Item term={t('detail.phase')}>{label('phase', detail.phase)}</Item>
          <Item term={t('detail.originKind')}>{label('originKind', origin.kind)}</Item>
          <Item term={t('detail.source')}>{origin.source ?? none}</Item>
          {origin.kind === 'complaint' || origin.complainant ? (
            <Item term={t('detail.complainant')}>{origin.complainant ?? none}</Item>
          ) : null}
          <Item term={t('detail.receivedAt')}>
            <DateTime ms={origin.receivedAt} />
          </Item>
          <Item term={t('detail.createdAt')}>
            <DateTime ms={detail.createdAt} />
          </Item>
          <Item term={t('detail.updatedAt')}>
            <DateTime ms={detail.updatedAt} />
          </Item>
        </dl>
        <dl className="facts facts--block">
          <Item term={t('detail.reason')}>
            <span className="prewrap">{origin.reason ?? none}</span>
          </Item>
        </dl>
      </section>

      <div className="overview__side">
        <section className="panel" aria-labelledby="overview-officers">
          <h2 id="overview-officers" className="panel__title">
            {t('officers.onCase')}
          </h2>
          <ul className="plain-list">
            {detail.officers.map((o) => (
              <li key={o.officerId}>
                <strong>{o.name}</strong> <span className="mono muted">{o.certificateNo}</span>{' '}
                {o.lead ? <span className="tag tag--accent">{t('officers.leadRole')}</span> : null}
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="overview-parties">
          <h2 id="overview-parties" className="panel__title">
            {t('party.title')}
          </h2>
          {detail.parties.length === 0 ? (
            <p className="muted">{t('party.empty')}</p>
          ) : (
            <ul className="plain-list">
              {detail.parties.map((p) => (
                <li key={p.id}>
                  <strong>{p.name}</strong>{' '}
                  <span className="muted">{label('idType', p.idType)}</span>{' '}
                  <span className="mono">{p.idNumber}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="overview-sessions">
          <h2 id="overview-sessions" className="panel__title">
            {t('sessions.title')}
          </h2>
          {detail.sessions.length === 0 ? (
            <p className="muted">{t('sessions.empty')}</p>
          ) : (
            <ul className="plain-list">
              {detail.sessions.map((s) => (
                <li key={s.id}>
                  <strong>{label('sessionKind', s.kind)}</strong>{' '}
                  <span className="tag">{label('sessionStatus', s.status)}</span>{' '}
                  <span className="muted">
                    {s.place}
                    {s.room ? ` · ${s.room}` : ''} · <DateTime ms={s.scheduledAt ?? s.createdAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <InitiationCard detail={detail} />
    </div>
  );
}
