/**
 * Serving a document (送达, R1.5): the method chosen shows what it needs — the recipient
 * signing on the pad (direct), the entrusted agency, the carrier and tracking number, the
 * witness signing and the A/V record of the act (留置), the notice and its period (公告).
 */
import { useState } from 'react';
import type { IssuedDocumentDto } from '@shared/api/documents';
import type { HandwritingInput } from '@shared/api/signing';
import type { CaseDetailDto } from '@shared/domain';
import type { ServiceMethod } from '@shared/rules/service';
import { useClient } from '../../app/ClientContext';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { useCall } from '../../ui/useCall';
import { fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { SignPad } from './common';

export function ServeForm({
  doc,
  detail,
  onDone,
}: {
  doc: IssuedDocumentDto;
  detail: CaseDetailDto;
  onDone: () => void;
}) {
  const t = useSectionT('casework');
  const client = useClient();
  const label = useEnumLabel();
  const methods = useEnumOptions('serviceMethod');
  const [method, setMethod] = useState<ServiceMethod>('direct');
  const [v, setV] = useState(() => ({
    recipient: detail.parties[0]?.name ?? '',
    place: detail.parties[0]?.address ?? '',
    servedAt: toDateTimeLocal(Date.now(), true),
    entrustedTo: '',
    carrier: 'EMS',
    trackingNo: '',
    refusal: '',
    witness: '',
    witnessUnit: '',
    publishedIn: '',
    why: '',
    days: '30',
  }));
  const [servers, setServers] = useState<number[]>(
    detail.officers.slice(0, 2).map((o) => o.officerId),
  );
  const recorded = detail.sessions.filter((s) => s.status === 'ended' || s.status === 'sealed');
  const [sessionId, setSessionId] = useState(recorded[0] ? String(recorded[0].id) : '');
  const { busy, banner, run } = useCall();
  const set = (k: keyof typeof v) => (value: string) => setV((x) => ({ ...x, [k]: value }));
  const text = (k: keyof typeof v, type?: 'datetime-local' | 'text') => (
    <TextField
      label={t(`documents.${k}` as 'documents.place')}
      value={v[k]}
      onChange={set(k)}
      {...(type ? { type } : {})}
    />
  );

  const send = (signature?: HandwritingInput) => {
    const base = {
      documentId: doc.id,
      recipient: v.recipient,
      place: v.place,
      servedAt: fromDateTimeLocal(v.servedAt) ?? Date.now(),
      serverOfficerIds: servers,
    };
    return run(async () => {
      switch (method) {
        case 'direct':
          await client.invoke('documents.serve', {
            ...base,
            method,
            recipientSignature: signature!,
          });
          break;
        case 'entrusted':
          await client.invoke('documents.serve', { ...base, method, entrustedTo: v.entrustedTo });
          break;
        case 'postal':
          await client.invoke('documents.serve', {
            ...base,
            method,
            carrier: v.carrier,
            trackingNo: v.trackingNo,
          });
          break;
        case 'left':
          await client.invoke('documents.serve', {
            ...base,
            method,
            refusal: v.refusal,
            witness: { name: v.witness, ...(v.witnessUnit ? { unit: v.witnessUnit } : {}) },
            witnessSignature: signature!,
            sessionId: Number(sessionId),
          });
          break;
        case 'public_notice':
          await client.invoke('documents.serve', {
            ...base,
            method,
            publishedIn: v.publishedIn,
            why: v.why,
            days: Number(v.days),
          });
          break;
      }
    }, onDone);
  };

  const signed = method === 'direct' || method === 'left';
  return (
    <div className="form" data-testid="serve-form">
      {banner ? <ErrorBanner message={banner} /> : null}
      <SelectField
        label={t('documents.method')}
        value={method}
        options={methods}
        onChange={setMethod}
      />
      {text('recipient')}
      {text('place')}
      {text('servedAt', 'datetime-local')}
      <fieldset>
        <legend>{t('documents.servers')}</legend>
        {detail.officers.map((o) => (
          <Checkbox
            key={o.officerId}
            label={o.name}
            checked={servers.includes(o.officerId)}
            onChange={(on) =>
              setServers((xs) => (on ? [...xs, o.officerId] : xs.filter((x) => x !== o.officerId)))
            }
          />
        ))}
      </fieldset>
      {method === 'entrusted' ? text('entrustedTo') : null}
      {method === 'postal' ? (
        <>
          {text('carrier')}
          {text('trackingNo')}
        </>
      ) : null}
      {method === 'left' ? (
        <>
          {text('refusal')}
          {text('witness')}
          {text('witnessUnit')}
          <SelectField
            label={t('documents.session')}
            value={sessionId}
            placeholder="—"
            options={recorded.map((s) => ({
              value: String(s.id),
              label: `${label('sessionKind', s.kind)} · ${s.place} · #${s.id}`,
            }))}
            onChange={setSessionId}
          />
        </>
      ) : null}
      {method === 'public_notice' ? (
        <>
          {text('publishedIn')}
          {text('why')}
          {text('days')}
        </>
      ) : null}
      {signed ? (
        <SignPad
          label={t(method === 'direct' ? 'documents.recipientSign' : 'documents.witnessSign')}
          busy={busy}
          testId="serve-pad"
          onSign={(h) => send(h)}
        />
      ) : (
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void send()}
        >
          {t('documents.serveSubmit')}
        </button>
      )}
    </div>
  );
}
