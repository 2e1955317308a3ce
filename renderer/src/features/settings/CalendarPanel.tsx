/**
 * 节假日与调休: the agency's working-day calendar. Periods of the Administrative Penalty Law
 * (the five days to ask for a hearing, the seven days' notice of it) are working days, statutory
 * holidays excluded (第八十五条); the State Council publishes the holidays each year and the
 * administrator enters the weekday holidays and the weekend working days here.
 */
import { useCallback, useState } from 'react';
import type { CalendarDayDto } from '@shared/api/app';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { SelectField, TextField } from '../../ui/Field';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';

export function CalendarPanel({ admin }: { admin: boolean }) {
  const t = useSectionT('settings');
  const client = useClient();
  const load = useCallback(() => client.invoke('app.calendar', {}), [client]);
  const days = useResource(load, { keepStale: true });
  useCoreEvent('app.settingsChanged', days.reload);
  const [day, setDay] = useState('');
  const [kind, setKind] = useState<CalendarDayDto['kind']>('holiday');
  const [note, setNote] = useState('');
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const set = async (input: {
    day: string;
    kind: CalendarDayDto['kind'] | null;
    note?: string;
  }) => {
    setBanner(null);
    try {
      // The core checks the day (a holiday on a weekday, a working day on a weekend) and says why.
      await client.invoke('app.setCalendarDay', input);
      setDay('');
      setNote('');
      days.reload();
    } catch (e) {
      // No field of its own to show it at: the reason goes in the banner.
      setBanner(formFailure(e, { fields: [] }).banner);
    }
  };
  return (
    <div className="panel" data-testid="settings-calendar">
      <h2 className="panel__title">{t('calendar.title')}</h2>
      <p className="muted">{t('calendar.intro')}</p>
      {banner ? <ErrorBanner message={banner} /> : null}
      {days.data?.length ? (
        <ul className="calendar__days">
          {days.data.map((d) => (
            <li key={d.day} data-kind={d.kind}>
              {d.day} {t(`calendar.kinds.${d.kind}`)}
              {d.note ? `（${d.note}）` : ''}
              {admin ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void set({ day: d.day, kind: null })}
                >
                  {t('calendar.remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('calendar.none')}</p>
      )}
      {admin ? (
        <div className="form__grid">
          <TextField label={t('calendar.day')} type="date" value={day} onChange={setDay} required />
          <SelectField
            label={t('calendar.kind')}
            value={kind}
            options={[
              { value: 'holiday', label: t('calendar.kinds.holiday') },
              { value: 'workday', label: t('calendar.kinds.workday') },
            ]}
            onChange={(v) => setKind(v as CalendarDayDto['kind'])}
          />
          <TextField label={t('calendar.note')} value={note} onChange={setNote} maxLength={60} />
          <button
            type="button"
            className="button"
            disabled={!day}
            onClick={() => void set({ day, kind, ...(note.trim() ? { note: note.trim() } : {}) })}
          >
            {t('calendar.add')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
