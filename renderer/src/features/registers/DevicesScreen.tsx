import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { DeviceDto, DeviceKind, SourceRole } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { useSubmit } from '../../ui/useSubmit';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { canInvoke } from '../auth/permissions';
import { useDraft } from '../../ui/useDraft';

interface DeviceDraft {
  deviceNo: string;
  kind: DeviceKind;
  label: string;
  /** 用途; empty: none registered. */
  role: SourceRole | '';
  model: string;
  serial: string;
  room: string;
}
const EMPTY: DeviceDraft = {
  deviceNo: '',
  kind: 'camera',
  label: '',
  role: '',
  model: '',
  serial: '',
  room: '',
};

/** 设备登记: cameras and microphones registered and numbered (R3.6). */
export function DevicesScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const user = useUser();
  const label = useEnumLabel();
  // In use only, as on every register; the retired ones are a tick away.
  const [includeInactive, setIncludeInactive] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowError, setRowError] = useState<BannerMessage | null>(null);
  const load = useCallback(
    () => client.invoke('devices.list', { includeInactive }),
    [client, includeInactive],
  );
  const devices = useResource(load, { keepStale: true });
  useCoreEvent('device.changed', devices.reload);
  const mayManage = canInvoke(user, 'devices.setActive');

  const setActive = async (device: DeviceDto, active: boolean) => {
    setRowError(null);
    try {
      await client.invoke('devices.setActive', { id: device.id, active });
      devices.reload();
    } catch (e) {
      setRowError(formFailure(e).banner);
    }
  };

  return (
    <section className="screen" aria-labelledby="devices-title">
      <div className="screen__head">
        <h1 id="devices-title">{t('devices.title')}</h1>
      </div>
      {canInvoke(user, 'devices.register') ? (
        <RegisterDeviceForm
          onDone={(deviceNo) => {
            setNotice(t('devices.created', { deviceNo }));
            devices.reload();
          }}
        />
      ) : null}
      <Notice text={notice} />
      {rowError ? <ErrorBanner message={rowError} /> : null}
      <div className="toolbar">
        <Checkbox
          label={t('common.showInactive')}
          checked={includeInactive}
          onChange={setIncludeInactive}
        />
      </div>
      {!devices.data ? (
        <LoadState error={devices.error} onRetry={devices.reload} />
      ) : devices.data.length === 0 ? (
        <p className="empty">{t('devices.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('devices.deviceNo')}</th>
                <th scope="col">{t('devices.kind')}</th>
                <th scope="col">{t('devices.label')}</th>
                <th scope="col">{t('devices.role')}</th>
                <th scope="col">{t('devices.model')}</th>
                <th scope="col">{t('devices.serial')}</th>
                <th scope="col">{t('devices.room')}</th>
                <th scope="col">{t('devices.registeredAt')}</th>
                <th scope="col">{t('devices.status')}</th>
                {mayManage ? <th scope="col">{t('common.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {devices.data.map((d) => (
                <tr key={d.id} className={d.active ? undefined : 'is-inactive'}>
                  <th scope="row" className="mono">
                    {d.deviceNo}
                  </th>
                  <td>{label('deviceKind', d.kind)}</td>
                  <td>{d.label}</td>
                  <td>{d.role ? label('sourceRole', d.role) : t('common.none')}</td>
                  <td>{d.model ?? t('common.none')}</td>
                  <td className="mono">{d.serial ?? t('common.none')}</td>
                  <td>{d.room ?? t('common.none')}</td>
                  <td>
                    <DateTime ms={d.registeredAt} />
                  </td>
                  <td>{d.active ? t('common.active') : t('common.inactive')}</td>
                  {mayManage ? (
                    <td>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void setActive(d, !d.active)}
                        aria-label={t(
                          d.active ? 'devices.deactivateNamed' : 'devices.activateNamed',
                          { deviceNo: d.deviceNo },
                        )}
                      >
                        {d.active ? t('devices.deactivate') : t('devices.activate')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RegisterDeviceForm({ onDone }: { onDone: (deviceNo: string) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const kinds = useEnumOptions('deviceKind');
  const roles = useEnumOptions('sourceRole');
  const [draft, setDraft, set] = useDraft<DeviceDraft>(EMPTY);
  const e = form.errors;
  const optional = t('common.optional');

  const onSubmit = () =>
    void form.submit({
      check: () =>
        validate(methods['devices.register'].input, {
          ...draft,
          role: draft.role || undefined,
        }),
      send: (input) => client.invoke('devices.register', input),
      failure: { fields: Object.keys(EMPTY), conflict: { field: 'deviceNo', key: 'deviceNo' } },
      done: (device) => {
        setDraft(EMPTY);
        onDone(device.deviceNo);
      },
    });

  return (
    <div className="panel">
      <h2 className="panel__title">{t('devices.register')}</h2>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('devices.register')}
        label={t('devices.register')}
        grid
        className="form--inline"
        {...form.status}
      >
        <TextField
          label={t('devices.deviceNo')}
          hint={t('devices.deviceNoHint')}
          value={draft.deviceNo}
          onChange={set('deviceNo')}
          error={e['deviceNo']}
          required
        />
        <SelectField
          label={t('devices.kind')}
          value={draft.kind}
          options={kinds}
          onChange={set('kind')}
          error={e['kind']}
          required
        />
        <TextField
          label={t('devices.label')}
          value={draft.label}
          onChange={set('label')}
          error={e['label']}
          required
        />
        <SelectField
          label={`${t('devices.role')}${optional}`}
          hint={t('devices.roleHint')}
          value={draft.role}
          options={[{ value: '', label: t('common.none') }, ...roles]}
          onChange={set('role')}
          error={e['role']}
        />
        <TextField
          label={`${t('devices.model')}${optional}`}
          value={draft.model}
          onChange={set('model')}
          error={e['model']}
        />
        <TextField
          label={`${t('devices.serial')}${optional}`}
          value={draft.serial}
          onChange={set('serial')}
          error={e['serial']}
        />
        <TextField
          label={`${t('devices.room')}${optional}`}
          value={draft.room}
          onChange={set('room')}
          error={e['room']}
        />
      </Form>
    </div>
  );
}
