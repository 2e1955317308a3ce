import { useCallback, useReducer, useState, type Dispatch } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { CaseDetailDto, SessionKind } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useEnumOptions } from '../../ui/enumLabels';
import { FieldGroup, SelectField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { nestedErrors, validate, type FieldErrors } from '../../ui/fieldErrors';
import { PartyFields } from '../cases/PartyFields';
import { emptyParty } from '../cases/partyDraft';
import {
  initialSessionDraft,
  officerRuleProblem,
  participantPath,
  sessionInput,
  sessionReducer,
  type SessionAction,
  type SessionDraft,
} from './sessionDraft';

/** The fields of a participant's particulars the form shows (refusals are shown at them). */
const PARTICULARS = [
  'idType',
  'idNumber',
  'gender',
  'birthDate',
  'ethnicity',
  'employer',
  'position',
  'address',
  'contact',
];

const SESSION_FIELDS = [
  'kind',
  'place',
  'room',
  'subject',
  'scheduledAt',
  'officers',
  'participants',
];

/**
 * Opens a session (询问/听证/约谈/现场检查): where and when, which officers in which role,
 * and who else takes part, picked from the case's parties or typed in.
 */
export function SessionForm({
  detail,
  onCancel,
  onDone,
}: {
  detail: CaseDetailDto;
  onCancel: () => void;
  onDone: (kind: SessionKind) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const [draft, dispatch] = useReducer(sessionReducer, detail, (d) => initialSessionDraft(d));
  const kinds = useEnumOptions('sessionKind');
  const e = form.errors;
  const setField = (field: 'place' | 'room' | 'subject' | 'scheduledAt') => (value: string) =>
    dispatch({ type: 'field', field, value });

  const onSubmit = () =>
    void form.submit({
      check: () => {
        const checked = validate(methods['sessions.create'].input, sessionInput(draft, detail.id));
        const problem = officerRuleProblem(draft);
        if (!problem) return checked;
        const fields: FieldErrors = {
          ...(checked.ok ? {} : checked.fields),
          officers: { key: `errors.field.${problem}` },
        };
        return { ok: false, fields };
      },
      send: (input) => client.invoke('sessions.create', input),
      failure: {
        fields: [
          ...SESSION_FIELDS,
          ...draft.others.flatMap((o) => [
            participantPath(draft, o.key),
            participantPath(draft, o.key, 'authority'),
            ...PARTICULARS.map((f) => participantPath(draft, o.key, `particulars.${f}`)),
          ]),
        ],
      },
      done: (session) => onDone(session.kind),
    });

  return (
    <Form
      onSubmit={onSubmit}
      submitLabel={t('sessions.submit')}
      onCancel={onCancel}
      label={t('sessions.formTitle')}
      {...form.status}
    >
      <div className="form__grid">
        <SelectField
          label={t('sessions.kind')}
          value={draft.kind}
          options={kinds}
          onChange={(kind) => dispatch({ type: 'kind', kind })}
          error={e['kind']}
          required
        />
        <TextField
          label={t('sessions.scheduledAt')}
          type="datetime-local"
          value={draft.scheduledAt}
          onChange={setField('scheduledAt')}
          error={e['scheduledAt']}
        />
        <TextField
          label={t('sessions.place')}
          value={draft.place}
          onChange={setField('place')}
          error={e['place']}
          required
        />
        <TextField
          label={t('sessions.room')}
          value={draft.room}
          onChange={setField('room')}
          error={e['room']}
        />
        {draft.kind === 'inspection' ? (
          <TextField
            label={t('sessions.subject')}
            value={draft.subject}
            onChange={setField('subject')}
            error={e['subject']}
            maxLength={500}
          />
        ) : null}
      </div>
      <FieldGroup
        legend={t('sessions.officers')}
        hint={t('sessions.officersHint')}
        error={e['officers']}
      >
        <SessionOfficerRows draft={draft} dispatch={dispatch} />
        <AddRegisterOfficer
          exclude={draft.officers.map((o) => o.officerId)}
          onAdd={(officer) => dispatch({ type: 'addOfficer', officer })}
        />
      </FieldGroup>
      <FieldGroup
        legend={t('sessions.participants')}
        hint={t('sessions.participantsHint')}
        error={e['participants']}
      >
        <SessionParticipantRows draft={draft} dispatch={dispatch} errors={e} />
      </FieldGroup>
    </Form>
  );
}

interface RowsProps {
  draft: SessionDraft;
  dispatch: Dispatch<SessionAction>;
}

/** One row per officer: takes part or not, and in which role. */
function SessionOfficerRows({ draft, dispatch }: RowsProps) {
  const { t } = useTranslation();
  const roles = useEnumOptions('officerSessionRole');
  return (
    <ul className="rows">
      {draft.officers.map((o) => {
        const id = `session-officer-${o.officerId}`;
        return (
          <li key={o.officerId} className="rows__row">
            <span className="check">
              <input
                id={id}
                type="checkbox"
                checked={o.selected}
                onChange={(ev) =>
                  dispatch({
                    type: 'officerSelected',
                    officerId: o.officerId,
                    selected: ev.target.checked,
                  })
                }
              />
              <label htmlFor={id}>
                {o.name} <span className="mono muted">{o.certificateNo}</span>{' '}
                {o.onCase ? null : <span className="tag">{t('sessions.notOnCase')}</span>}
              </label>
            </span>
            <select
              className="control"
              aria-label={t('sessions.roleOf', { name: o.name })}
              value={o.role}
              disabled={!o.selected}
              onChange={(ev) =>
                dispatch({
                  type: 'officerRole',
                  officerId: o.officerId,
                  role: ev.target.value as typeof o.role,
                })
              }
            >
              {roles.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            {o.onCase ? null : (
              <button
                type="button"
                className="button button--ghost button--small"
                onClick={() => dispatch({ type: 'removeOfficer', officerId: o.officerId })}
              >
                {t('sessions.removeOfficer', { name: o.name })}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The case's parties to tick, then people typed in by name, each with their capacity. */
function SessionParticipantRows({ draft, dispatch, errors }: RowsProps & { errors: FieldErrors }) {
  const { t } = useTranslation();
  const roles = useEnumOptions('participantRole');
  const authorities = useEnumOptions('agentAuthority');
  return (
    <>
      <ul className="rows">
        {draft.parties.map((p) => {
          const id = `session-party-${p.partyId}`;
          return (
            <li key={p.partyId} className="rows__row">
              <span className="check">
                <input
                  id={id}
                  type="checkbox"
                  checked={p.selected}
                  onChange={(ev) =>
                    dispatch({
                      type: 'partySelected',
                      partyId: p.partyId,
                      selected: ev.target.checked,
                    })
                  }
                />
                <label htmlFor={id}>{p.name}</label>
              </span>
              <select
                className="control"
                aria-label={t('sessions.participantRoleOf', { name: p.name })}
                value={p.role}
                disabled={!p.selected}
                onChange={(ev) =>
                  dispatch({
                    type: 'partyRole',
                    partyId: p.partyId,
                    role: ev.target.value as typeof p.role,
                  })
                }
              >
                {roles.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            </li>
          );
        })}
        {draft.others.map((o) => (
          <li key={o.key} className="rows__row rows__row--other">
            <TextField
              label={t('sessions.otherName')}
              value={o.name}
              onChange={(name) => dispatch({ type: 'otherName', key: o.key, name })}
              error={errors[participantPath(draft, o.key)]}
              required
            />
            <SelectField
              label={t('sessions.otherRole')}
              value={o.role}
              options={roles}
              onChange={(role) => dispatch({ type: 'otherRole', key: o.key, role })}
            />
            {o.particulars ? (
              <fieldset className="rows__particulars" data-testid={`particulars-${o.key}`}>
                <legend>{t('sessions.particulars', { name: o.name })}</legend>
                <PartyFields
                  personOnly
                  draft={o.particulars}
                  onChange={(particulars) =>
                    dispatch({ type: 'otherParticulars', key: o.key, particulars })
                  }
                  errors={nestedErrors(errors, `${participantPath(draft, o.key, 'particulars')}.`)}
                />
              </fieldset>
            ) : (
              <button
                type="button"
                className="button button--ghost"
                onClick={() =>
                  dispatch({ type: 'otherParticulars', key: o.key, particulars: emptyParty() })
                }
              >
                {t('sessions.addParticulars')}
              </button>
            )}
            {o.role === 'agent' ? (
              <>
                <SelectField
                  label={t('sessions.agentAuthority')}
                  value={o.authority}
                  options={authorities}
                  onChange={(authority) =>
                    dispatch({ type: 'otherAuthority', key: o.key, authority })
                  }
                  error={errors[participantPath(draft, o.key, 'authority')]}
                  required={draft.kind === 'hearing'}
                />
                <TextField
                  label={t('sessions.agentMandate')}
                  value={o.mandate}
                  onChange={(mandate) => dispatch({ type: 'otherMandate', key: o.key, mandate })}
                  maxLength={200}
                />
              </>
            ) : null}
            <button
              type="button"
              className="button button--ghost"
              onClick={() => dispatch({ type: 'removeOther', key: o.key })}
            >
              {t('sessions.removeOther', { name: o.name })}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={() => dispatch({ type: 'addOther' })}>
        {t('sessions.addOther')}
      </button>
    </>
  );
}

/**
 * Brings in an officer who is not on the case, from the register: a hearing's moderator
 * must not be one of the case's investigators.
 */
function AddRegisterOfficer({
  exclude,
  onAdd,
}: {
  exclude: readonly number[];
  onAdd: (officer: { id: number; name: string; certificateNo: string }) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const load = useCallback(() => client.invoke('officers.list', {}), [client]);
  const register = useResource(load);
  const [chosen, setChosen] = useState('');
  const candidates = (register.data ?? []).filter((o) => o.active && !exclude.includes(o.id));
  if (candidates.length === 0) return null;
  const add = () => {
    const officer = candidates.find((o) => String(o.id) === chosen);
    if (!officer) return;
    onAdd(officer);
    setChosen('');
  };
  return (
    <div className="inline-add">
      <SelectField
        label={t('sessions.addOfficer')}
        hint={t('sessions.addOfficerHint')}
        value={chosen}
        placeholder={t('sessions.chooseOfficer')}
        options={candidates.map((o) => ({
          value: String(o.id),
          label: `${o.name}（${o.certificateNo}）`,
        }))}
        onChange={setChosen}
      />
      <button type="button" className="button" onClick={add} disabled={!chosen}>
        {t('sessions.addOfficerButton')}
      </button>
    </div>
  );
}
