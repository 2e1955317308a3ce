/**
 * 执法文书与送达 (R1.5, R2.1): the documents issued in the case with their service and proof,
 * issuing one from the agency's templates (filled from the case), serving it, attaching the
 * receipt that comes later, and recording the execution of a decision.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DocumentTemplateDto, IssuedDocumentDto } from '@shared/api/documents';
import type { CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextAreaField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { useCall } from '../../ui/useCall';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { fileToBase64, PdfButton } from './common';
import { ServeForm } from './ServeForm';

export function DocumentsPanel({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const load = useCallback(
    () => client.invoke('documents.list', { caseId: detail.id }),
    [client, detail.id],
  );
  const docs = useResource(load);
  useCoreEvent('documents.changed', (e) => {
    if (e.caseId === detail.id) docs.reload();
  });
  const open = detail.phase !== 'archiving';
  return (
    <section aria-labelledby="documents-title" className="split">
      <div>
        <h2 id="documents-title" className="panel__title">
          {t('documents.title')}
        </h2>
        {!docs.data ? (
          <LoadState error={docs.error} onRetry={docs.reload} />
        ) : docs.data.length === 0 ? (
          <p className="empty">{t('documents.empty')}</p>
        ) : (
          docs.data.map((d) => <DocumentCard key={d.id} doc={d} detail={detail} />)
        )}
      </div>
      {open && canInvoke(user, 'documents.issue') ? <IssueForm detail={detail} /> : null}
    </section>
  );
}

function DocumentCard({ doc, detail }: { doc: IssuedDocumentDto; detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const label = useEnumLabel();
  const client = useClient();
  const user = useUser();
  const [action, setAction] = useState<'serve' | 'execution' | null>(null);
  const open = detail.phase !== 'archiving';
  return (
    <article className="panel" data-testid={`document-${doc.id}`}>
      <h3 className="panel__title">
        {doc.title} {doc.docNo ? <span className="muted">{doc.docNo}</span> : null}{' '}
        <span className={`tag ${doc.served ? 'tag--agree' : 'tag--disagree'}`} data-testid="served">
          {!doc.needsService
            ? t('documents.noService')
            : doc.served
              ? t('documents.served')
              : doc.services.length
                ? t('documents.unproven')
                : t('documents.unserved')}
        </span>
      </h3>
      <p className="muted">
        {t('by', { by: doc.issuedBy, at: formatDateTime(doc.issuedAt, false) })} · SHA-256{' '}
        <code>{doc.sha256.slice(0, 16)}…</code>
      </p>
      <PdfButton
        label={t('pdf')}
        load={() => client.invoke('documents.pdf', { documentId: doc.id })}
      />
      <ul className="list">
        {doc.services.map((s) => (
          <li key={s.id} data-testid="service">
            {label('serviceMethod', s.method)} · {s.recipient} · <DateTime ms={s.servedAt} /> ·{' '}
            {s.proof.proven
              ? t('documents.proof.proven', { at: formatDateTime(s.proof.servedAt, false) })
              : s.proof.missing === 'receipt'
                ? t('documents.proof.receipt')
                : t('documents.proof.notice_period', {
                    at: s.proof.until ? formatDateTime(s.proof.until, false) : '',
                  })}
            {s.receiptPdf ? (
              <PdfButton
                label={t('documents.receiptPdf')}
                load={() => client.invoke('documents.receiptPdf', { serviceId: s.id })}
              />
            ) : null}
            {!s.proof.proven && s.proof.missing === 'receipt' && open ? (
              <AttachReceipt serviceId={s.id} />
            ) : null}
          </li>
        ))}
        {doc.executions.map((e) => (
          <li key={`x${e.id}`}>
            {t('documents.executions', {
              result: label('executionResult', e.result),
              at: formatDateTime(e.executedAt, false),
              detail: e.detail,
            })}
          </li>
        ))}
      </ul>
      {open && canInvoke(user, 'documents.serve') ? (
        <p className="actions">
          {doc.needsService ? (
            <button type="button" className="button" onClick={() => setAction('serve')}>
              {t('documents.serve')}
            </button>
          ) : null}
          {doc.endsMatter ? (
            <button type="button" className="button" onClick={() => setAction('execution')}>
              {t('documents.execution')}
            </button>
          ) : null}
        </p>
      ) : null}
      {action === 'serve' ? (
        <ServeForm doc={doc} detail={detail} onDone={() => setAction(null)} />
      ) : action === 'execution' ? (
        <ExecutionForm doc={doc} onDone={() => setAction(null)} />
      ) : null}
    </article>
  );
}

function IssueForm({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const load = useCallback(() => client.invoke('documents.templates', {}), [client]);
  const templates = useResource(load);
  const [kind, setKind] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, banner, run } = useCall();
  const template: DocumentTemplateDto | undefined = templates.data?.find((x) => x.kind === kind);
  useEffect(() => {
    if (!kind) return;
    let live = true;
    client.invoke('documents.prefill', { caseId: detail.id, template: kind }).then(
      (v) => live && setValues(v),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, detail.id, kind]);
  const issue = () =>
    run(
      () => client.invoke('documents.issue', { caseId: detail.id, template: kind, values }),
      (d) => {
        setNotice(t('documents.issued', { title: d.title, docNo: d.docNo ?? '' }));
        setKind('');
        setValues({});
      },
    );
  return (
    <div className="panel" data-testid="document-issue">
      <h3 className="panel__title">{t('documents.issue')}</h3>
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      <SelectField
        label={t('documents.template')}
        value={kind}
        placeholder="—"
        options={(templates.data ?? []).map((x) => ({ value: x.kind, label: x.title }))}
        onChange={setKind}
      />
      {template?.fields.map((f) =>
        f.multiline ? (
          <TextAreaField
            key={f.key}
            label={f.label}
            value={values[f.key] ?? ''}
            onChange={(v) => setValues((xs) => ({ ...xs, [f.key]: v }))}
            required={f.required}
            rows={3}
          />
        ) : (
          <TextField
            key={f.key}
            label={f.label}
            value={values[f.key] ?? ''}
            onChange={(v) => setValues((xs) => ({ ...xs, [f.key]: v }))}
            required={f.required}
          />
        ),
      )}
      {template ? (
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void issue()}
        >
          {t('documents.issueSubmit')}
        </button>
      ) : null}
    </div>
  );
}

function AttachReceipt({ serviceId }: { serviceId: number }) {
  const t = useSectionT('casework');
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [receivedAt, setReceivedAt] = useState(() => toDateTimeLocal(Date.now(), true));
  const { banner, run } = useCall();
  const attach = (chosen: File) =>
    run(async () =>
      client.invoke('documents.attachReceipt', {
        serviceId,
        fileName: chosen.name,
        data: await fileToBase64(chosen),
        receivedAt: fromDateTimeLocal(receivedAt) ?? Date.now(),
      }),
    );
  return (
    <div className="form form--inline" data-testid="attach-receipt">
      {banner ? <ErrorBanner message={banner} /> : null}
      <label>
        {t('documents.receiptFile')}{' '}
        <input
          type="file"
          accept=".pdf,.png,.jpg,.jpeg"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <TextField
        label={t('documents.receivedAt')}
        type="datetime-local"
        value={receivedAt}
        onChange={setReceivedAt}
      />
      <button
        type="button"
        className="button"
        disabled={!file}
        onClick={() => file && void attach(file)}
      >
        {t('documents.attach')}
      </button>
    </div>
  );
}

function ExecutionForm({ doc, onDone }: { doc: IssuedDocumentDto; onDone: () => void }) {
  const t = useSectionT('casework');
  const client = useClient();
  const results = useEnumOptions('executionResult');
  const [result, setResult] = useState<(typeof results)[number]['value']>('fulfilled');
  const [detail, setDetail] = useState('');
  const [at, setAt] = useState(() => toDateTimeLocal(Date.now(), true));
  const { banner, run } = useCall();
  const save = () =>
    run(
      () =>
        client.invoke('documents.recordExecution', {
          documentId: doc.id,
          result,
          detail,
          executedAt: fromDateTimeLocal(at) ?? Date.now(),
        }),
      onDone,
    );
  return (
    <div className="form" data-testid="execution-form">
      {banner ? <ErrorBanner message={banner} /> : null}
      <SelectField
        label={t('documents.result')}
        value={result}
        options={results}
        onChange={setResult}
      />
      <TextAreaField label={t('documents.detail')} value={detail} onChange={setDetail} required />
      <TextField
        label={t('documents.executedAt')}
        type="datetime-local"
        value={at}
        onChange={setAt}
      />
      <button type="button" className="button button--primary" onClick={() => void save()}>
        {t('documents.execution')}
      </button>
    </div>
  );
}
