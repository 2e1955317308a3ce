/**
 * Party copies on the case's 调阅与复制 tab (R6.2): the sealed files with their
 * classification, a party's copy request with the requester's identity, the leader's
 * decision (possibly in part), the copy made, and the register.
 */
import { useCallback, useState } from 'react';
import { methods } from '@shared/api';
import type {
  BundleFileDto,
  ClassificationLevel,
  CopyRequestDto,
  FileRefDto,
} from '@shared/api/access';
import type { CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { ErrorBanner } from '../../ui/Banner';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { formatDateTime } from '../../ui/time';
import { useSubmit } from '../../ui/useSubmit';
import { useSectionT } from '../../i18n/section';
import { formatBytes } from '../discs/formatBytes';
import { toggled } from './toggled';
import './access.css';

const fileKey = (f: FileRefDto) => `${f.bundleId}:${f.path}`;

type FileRow = BundleFileDto;

export function PartyCopies({
  detail,
  onNotice,
}: {
  detail: CaseDetailDto;
  onNotice: (t: string) => void;
}) {
  const t = useSectionT('access');
  const client = useClient();
  const user = useUser();
  const load = useCallback(async () => {
    const bundles = await client.invoke('bundles.list', { caseId: detail.id });
    const files = (
      await Promise.all(bundles.map((b) => client.invoke('bundles.files', { bundleId: b.id })))
    ).flat();
    const requests = await client.invoke('copies.list', { caseId: detail.id });
    return { bundles, files, requests };
  }, [client, detail.id]);
  const data = useResource(load, { keepStale: true });
  useCoreEvent('access.changed', data.reload);
  const bagOf = (id: number) => data.data?.bundles.find((b) => b.id === id)?.bagName ?? `#${id}`;
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const register = async () => {
    try {
      const pdf = await client.invoke('copies.register', { caseId: detail.id });
      const bytes = Uint8Array.from(atob(pdf.data), (ch) => ch.charCodeAt(0));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      a.download = pdf.fileName;
      a.click();
    } catch (e) {
      setBanner(formFailure(e).banner);
    }
  };
  return (
    <div className="panel" data-testid="party-copies">
      <h2 className="panel__title">{t('copies.title')}</h2>
      <p className="muted">{t('copies.intro')}</p>
      {banner ? <ErrorBanner message={banner} /> : null}
      {!data.data ? (
        <LoadState error={data.error} onRetry={data.reload} />
      ) : (
        <>
          <FilesTable files={data.data.files} bagOf={bagOf} onNotice={onNotice} />
          {canInvoke(user, 'copies.request') ? (
            <CopyRequestForm detail={detail} files={data.data.files} onNotice={onNotice} />
          ) : null}
          <h3>{t('copies.requests')}</h3>
          {data.data.requests.length === 0 ? (
            <p className="muted">{t('copies.noRequests')}</p>
          ) : null}
          {data.data.requests.map((r) => (
            <CopyRequestCard key={r.id} request={r} files={data.data!.files} onNotice={onNotice} />
          ))}
          {canInvoke(user, 'copies.register') ? (
            <button type="button" className="button" onClick={() => void register()}>
              {t('copies.register')}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function FilesTable({
  files,
  bagOf,
  onNotice,
}: {
  files: FileRow[];
  bagOf: (id: number) => string;
  onNotice: (t: string) => void;
}) {
  const t = useSectionT('access');
  const label = useEnumLabel();
  const user = useUser();
  // The legal-affairs office changes any classification; the team classifies a file once.
  const legal = user?.roles.includes('legal_reviewer') ?? false;
  const may = (f: FileRow) =>
    canInvoke(user, 'bundles.classify') &&
    (legal || (f.classification?.level ?? 'none') === 'none');
  return (
    <>
      <h3>{t('copies.files')}</h3>
      <div className="table-wrap">
        <table className="table access__files" data-testid="sealed-files">
          <thead>
            <tr>
              <th scope="col">{t('copies.file')}</th>
              <th scope="col">{t('copies.size')}</th>
              <th scope="col">{t('copies.classification')}</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={fileKey(f)}>
                <td>
                  <span className="muted">{bagOf(f.bundleId)}/</span>
                  {f.path}
                </td>
                <td>{formatBytes(f.bytes)}</td>
                <td>
                  {f.classification ? (
                    <span title={f.classification.reason ?? ''}>
                      {label('classification', f.classification.level)}
                      {f.classification.reason ? `：${f.classification.reason}` : ''}
                    </span>
                  ) : (
                    <span className="muted">{label('classification', 'none')}</span>
                  )}
                  {may(f) ? <ClassifyForm file={f} onNotice={onNotice} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ClassifyForm({ file, onNotice }: { file: FileRow; onNotice: (t: string) => void }) {
  const t = useSectionT('access');
  const label = useEnumLabel();
  const client = useClient();
  const levels = useEnumOptions('classification');
  const [level, setLevel] = useState<ClassificationLevel>(file.classification?.level ?? 'none');
  const [reason, setReason] = useState('');
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const save = async () => {
    try {
      await client.invoke('bundles.classify', {
        bundleId: file.bundleId,
        path: file.path,
        level,
        ...(reason ? { reason } : {}),
      });
      setBanner(null);
      setReason('');
      onNotice(t('copies.classified', { path: file.path, level: label('classification', level) }));
    } catch (e) {
      setBanner(formFailure(e).banner);
    }
  };
  return (
    <div className="access__classify">
      {banner ? <ErrorBanner message={banner} /> : null}
      <SelectField
        label={`${t('copies.classification')} · ${file.path}`}
        value={level}
        onChange={setLevel}
        options={levels}
      />
      <TextField
        label={`${t('copies.reason')} · ${file.path}`}
        value={reason}
        onChange={setReason}
      />
      <button type="button" className="button button--small" onClick={() => void save()}>
        {t('copies.classify')}
      </button>
    </div>
  );
}

function CopyRequestForm({
  detail,
  files,
  onNotice,
}: {
  detail: CaseDetailDto;
  files: FileRow[];
  onNotice: (t: string) => void;
}) {
  const t = useSectionT('access');
  const client = useClient();
  const roles = useEnumOptions('copyRequesterRole');
  const idTypes = useEnumOptions('idType');
  const first = detail.parties[0];
  const [partyId, setPartyId] = useState(first ? String(first.id) : '');
  const party = detail.parties.find((p) => String(p.id) === partyId);
  const [role, setRole] = useState<'party' | 'agent' | 'legal_representative'>('party');
  const [name, setName] = useState(first?.name ?? '');
  const [idType, setIdType] = useState(first?.idType ?? 'resident_id');
  const [idNumber, setIdNumber] = useState(first?.idNumber ?? '');
  const [authorization, setAuthorization] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const form = useSubmit();
  const pickParty = (id: string) => {
    setPartyId(id);
    const p = detail.parties.find((x) => String(x.id) === id);
    if (p && role === 'party') {
      setName(p.name);
      setIdType(p.idType);
      setIdNumber(p.idNumber);
    }
  };
  return (
    <Form
      label={t('copies.newRequest')}
      submitLabel={t('copies.record')}
      {...form.status}
      grid
      onSubmit={() =>
        void form.submit({
          check: () =>
            validate(methods['copies.request'].input, {
              caseId: detail.id,
              ...(party ? { partyId: party.id } : {}),
              requesterRole: role,
              requesterName: name,
              idType,
              idNumber,
              authorization,
              files: files
                .filter((f) => chosen.includes(fileKey(f)))
                .map((f) => ({ bundleId: f.bundleId, path: f.path })),
              purpose,
            }),
          send: (input) => client.invoke('copies.request', input),
          done: (r) => {
            setChosen([]);
            setPurpose('');
            onNotice(t('copies.recorded', { id: r.id }));
          },
        })
      }
    >
      <h3 className="field field--wide">{t('copies.newRequest')}</h3>
      {detail.parties.length ? (
        <SelectField
          label={t('copies.party')}
          value={partyId}
          onChange={pickParty}
          options={detail.parties.map((p) => ({ value: String(p.id), label: p.name }))}
        />
      ) : null}
      <SelectField
        label={t('copies.requesterRole')}
        value={role}
        onChange={setRole}
        options={roles}
      />
      <TextField
        label={t('copies.requesterName')}
        value={name}
        onChange={setName}
        error={form.errors.requesterName}
        required
      />
      <SelectField
        label={t('copies.idType')}
        value={idType}
        onChange={setIdType}
        options={idTypes}
      />
      <TextField
        label={t('copies.idNumber')}
        value={idNumber}
        onChange={setIdNumber}
        error={form.errors.idNumber}
        required
      />
      {role === 'agent' ? (
        <TextField
          label={t('copies.authorization')}
          value={authorization}
          onChange={setAuthorization}
          hint={t('copies.authorizationHint')}
          error={form.errors.authorization}
          required
          wide
        />
      ) : null}
      <fieldset className="field field--wide access__sessions">
        <legend className="field__label">{t('copies.askFor')}</legend>
        {files.map((f) => (
          <Checkbox
            key={fileKey(f)}
            label={f.path}
            checked={chosen.includes(fileKey(f))}
            onChange={(on) => setChosen((prev) => toggled(prev, fileKey(f), on))}
          />
        ))}
        {form.errors.files ? <p className="field__error">{t('copies.askFor')}</p> : null}
      </fieldset>
      <TextAreaField
        label={t('copies.purpose')}
        value={purpose}
        onChange={setPurpose}
        error={form.errors.purpose}
        required
        wide
      />
    </Form>
  );
}

function CopyRequestCard({
  request: r,
  files,
  onNotice,
}: {
  request: CopyRequestDto;
  files: FileRow[];
  onNotice: (t: string) => void;
}) {
  const t = useSectionT('access');
  const label = useEnumLabel();
  const user = useUser();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const make = async () => {
    setBusy(true);
    try {
      const done = await client.invoke('copies.make', { requestId: r.id });
      setBanner(null);
      onNotice(t('copies.made', { nos: done.copies.map((c) => c.copyNo).join('、') }));
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article
      className="access__grant"
      data-testid={`copy-request-${r.id}`}
      aria-label={t('copies.requestNo', { id: r.id })}
    >
      <header className="access__grant-head">
        <strong>{t('copies.requestNo', { id: r.id })}</strong>
        <span className="badge">
          {r.decision ? label('copyDecision', r.decision.decision) : t('copies.pending')}
        </span>
        <span className="muted">
          {t('copies.recordedBy', { by: r.recordedBy, at: formatDateTime(r.recordedAt) })}
        </span>
      </header>
      <p>
        {r.requesterName}（{label('copyRequesterRole', r.requesterRole)}，
        {label('idType', r.idType)}）：{r.purpose}
      </p>
      <p className="muted">
        {t('copies.asked')}：{r.files.map((f) => f.path).join('、')}
      </p>
      {r.decision ? (
        <p className="access__decision">
          {r.decision.decidedBy} {formatDateTime(r.decision.decidedAt)}{' '}
          {label('copyDecision', r.decision.decision)}：{r.decision.opinion}
        </p>
      ) : canInvoke(user, 'copies.decide') ? (
        <CopyDecideForm request={r} files={files} onNotice={onNotice} />
      ) : null}
      {banner ? <ErrorBanner message={banner} /> : null}
      {r.decision &&
      r.decision.decision !== 'refused' &&
      r.copies.length === 0 &&
      canInvoke(user, 'copies.make') ? (
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void make()}
        >
          {t('copies.make')}
        </button>
      ) : null}
      {r.copies.map((c) => (
        <div key={c.id} className="access__copy" data-testid={`copy-${c.copyNo}`}>
          <strong>{t('copies.copy', { no: c.copyNo })}</strong>
          <dl className="access__facts">
            <dt>{t('copies.copyPath')}</dt>
            <dd>
              <code>{c.path}</code>
            </dd>
            <dt>{t('copies.copied')}</dt>
            <dd>{c.files.join('、')}</dd>
            <dt>{t('copies.leftOut')}</dt>
            <dd>
              {c.leftOut.length ? c.leftOut.map((l) => `${l.path}（${l.reason}）`).join('、') : '—'}
            </dd>
          </dl>
        </div>
      ))}
    </article>
  );
}

function CopyDecideForm({
  request: r,
  files,
  onNotice,
}: {
  request: CopyRequestDto;
  files: FileRow[];
  onNotice: (t: string) => void;
}) {
  const t = useSectionT('access');
  const client = useClient();
  const [granted, setGranted] = useState<string[]>(r.files.map(fileKey));
  const [released, setReleased] = useState<string[]>([]);
  const [opinion, setOpinion] = useState('');
  const form = useSubmit();
  const classified = (f: FileRefDto) =>
    (files.find((x) => fileKey(x) === fileKey(f))?.classification?.level ?? 'none') !== 'none';
  const decision =
    granted.length === 0
      ? 'refused'
      : granted.length === r.files.length
        ? 'granted'
        : 'partly_granted';
  return (
    <Form
      label={t('copies.decision')}
      submitLabel={t('copies.decide')}
      {...form.status}
      onSubmit={() =>
        void form.submit({
          check: () =>
            validate(methods['copies.decide'].input, {
              requestId: r.id,
              decision,
              files: r.files.filter((f) => granted.includes(fileKey(f))),
              classified: r.files.filter(
                (f) => granted.includes(fileKey(f)) && released.includes(fileKey(f)),
              ),
              opinion,
            }),
          send: (input) => client.invoke('copies.decide', input),
          done: () => onNotice(t('copies.decided', { id: r.id })),
        })
      }
    >
      {r.files.map((f) => (
        <div key={fileKey(f)} className="access__decide-file">
          <Checkbox
            label={`${t('copies.grantFile')} ${f.path}`}
            checked={granted.includes(fileKey(f))}
            onChange={(on) => setGranted((prev) => toggled(prev, fileKey(f), on))}
          />
          {classified(f) ? (
            <Checkbox
              label={`${t('copies.releaseClassified')} ${f.path}`}
              checked={released.includes(fileKey(f))}
              onChange={(on) => setReleased((prev) => toggled(prev, fileKey(f), on))}
            />
          ) : null}
        </div>
      ))}
      <TextAreaField
        label={t('copies.opinion')}
        value={opinion}
        onChange={setOpinion}
        error={form.errors.opinion}
        required
        rows={2}
      />
    </Form>
  );
}
