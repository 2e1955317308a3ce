/**
 * 系统设置: the agency's settings. The time zone every view and document writes times in;
 * only administrators change it (the core checks every call).
 */
import { useCallback, useMemo, useState } from 'react';
import { methods } from '@shared/api';
import { offsetText } from '@shared/time';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { Notice } from '../../ui/Banner';
import { SelectField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { formatDateTime } from '../../ui/time';
import { validate } from '../../ui/fieldErrors';
import { useNow } from '../../ui/useNow';
import { useSubmit } from '../../ui/useSubmit';
import { useSectionT } from '../../i18n/section';
import { CalendarPanel } from './CalendarPanel';
import { AgencyIdentityPanel } from '../casework/AgencyIdentityPanel';
import { PhraseGuidePanel } from './PhraseGuidePanel';
import { AvListPanel } from './AvListPanel';

/** The zones the runtime knows, the agency's usual ones first. */
function zoneOptions(current: string): { value: string; label: string }[] {
  const all = Intl.supportedValuesOf('timeZone');
  const first = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei'];
  const ordered = [...new Set([current, ...first.filter((z) => all.includes(z)), ...all])];
  const now = Date.now();
  return ordered.map((z) => ({ value: z, label: `${z}（UTC${offsetText(now, z)}）` }));
}

export function SettingsScreen() {
  const t = useSectionT('settings');
  const client = useClient();
  const user = useUser();
  const admin = canInvoke(user, 'app.setTimeZone');
  const load = useCallback(() => client.invoke('app.timeZone', {}), [client]);
  const setting = useResource(load, { keepStale: true });
  useCoreEvent('app.settingsChanged', setting.reload);
  const form = useSubmit();
  const now = useNow();
  const [chosen, setChosen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const current = setting.data?.timeZone ?? '';
  const options = useMemo(() => (current ? zoneOptions(current) : []), [current]);
  const send = (timeZone: string | null) =>
    void form.submit({
      check: () => validate(methods['app.setTimeZone'].input, { timeZone }),
      send: (input) => client.invoke('app.setTimeZone', input),
      done: () => {
        setChosen(null);
        setNotice(t('timeZone.saved'));
        setting.reload();
      },
    });

  return (
    <section className="screen" aria-labelledby="settings-title">
      <div className="screen__head">
        <h1 id="settings-title">{t('title')}</h1>
      </div>
      <Notice text={notice} />
      {!setting.data ? (
        <LoadState error={setting.error} onRetry={setting.reload} />
      ) : (
        ((s) => (
          <div className="panel" data-testid="settings-time-zone">
            <h2 className="panel__title">{t('timeZone.title')}</h2>
            <p className="muted">{t('timeZone.intro')}</p>
            <p role="status">
              {t('timeZone.current', {
                zone: s.timeZone,
                offset: `UTC${offsetText(now, s.timeZone)}`,
                now: formatDateTime(now),
              })}{' '}
              {s.set ? t('timeZone.set') : t('timeZone.fromMachine')}
            </p>
            {admin ? (
              <>
                <Form
                  label={t('timeZone.title')}
                  submitLabel={t('timeZone.save')}
                  {...form.status}
                  onSubmit={() => send(chosen ?? s.timeZone)}
                >
                  <SelectField
                    label={t('timeZone.field')}
                    value={chosen ?? s.timeZone}
                    onChange={setChosen}
                    options={options}
                    error={form.errors.timeZone}
                  />
                </Form>
                {s.set ? (
                  <button type="button" className="button" onClick={() => send(null)}>
                    {t('timeZone.clear', { zone: s.machineTimeZone })}
                  </button>
                ) : null}
              </>
            ) : null}
          </div>
        ))(setting.data)
      )}
      <CalendarPanel admin={admin} />
      <AgencyIdentityPanel admin={admin} />
      <AvListPanel />
      <PhraseGuidePanel />
    </section>
  );
}
