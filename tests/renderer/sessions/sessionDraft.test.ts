/** The session form's state as pure functions: officers, roles, parties and people. */
import { describe, expect, it } from 'vitest';
import { methods } from '@shared/api';
import type { CaseDetailDto } from '@shared/domain';
import {
  initialSessionDraft,
  officerRuleProblem,
  participantPath,
  sessionInput,
  sessionReducer,
  type SessionDraft,
} from '../../../renderer/src/features/sessions/sessionDraft';
import { emptyParty } from '../../../renderer/src/features/cases/partyDraft';

const CASE: Pick<CaseDetailDto, 'officers' | 'parties'> = {
  officers: [
    { officerId: 2, name: '李娜', certificateNo: 'B', lead: false },
    { officerId: 1, name: '张伟', certificateNo: 'A', lead: true },
    { officerId: 3, name: '陈静', certificateNo: 'C', lead: false },
  ],
  parties: [
    {
      id: 7,
      caseId: 1,
      kind: 'person',
      name: '王小明',
      idType: 'resident_id',
      idNumber: '11010519491231002X',
      address: null,
      contact: null,
      legalRepresentative: null,
      gender: null,
      birthDate: null,
      ethnicity: null,
      employer: null,
      position: null,
    },
  ],
};

const run = (draft: SessionDraft, ...actions: Parameters<typeof sessionReducer>[1][]) =>
  actions.reduce(sessionReducer, draft);

describe('session draft', () => {
  it('starts an interview with the lead as 询问人 and the next officer as 记录人', () => {
    const d = initialSessionDraft(CASE);
    expect(d.officers.map((o) => [o.name, o.selected, o.role])).toEqual([
      ['张伟', true, 'interviewer'],
      ['李娜', true, 'recorder'],
      ['陈静', false, 'investigator'],
    ]);
    expect(officerRuleProblem(d)).toBeNull();
  });

  it('builds sessions.create input with ticked parties and typed people', () => {
    const d = run(
      initialSessionDraft(CASE),
      { type: 'field', field: 'place', value: '询问室' },
      { type: 'partySelected', partyId: 7, selected: true },
      { type: 'addOther' },
      { type: 'otherName', key: 1, name: '赵某' },
    );
    const parsed = methods['sessions.create'].input.safeParse(sessionInput(d, 1));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.participants).toEqual([
      { role: 'party', partyId: 7, name: '王小明' },
      { role: 'witness', name: '赵某' },
    ]);
    expect(participantPath(d, 1)).toBe('participants.1.name');
  });

  it('refuses an interview with one officer', () => {
    const d = run(initialSessionDraft(CASE), {
      type: 'officerSelected',
      officerId: 2,
      selected: false,
    });
    expect(officerRuleProblem(d)).toBe('twoOfficers');
  });

  it('asks a hearing for a moderator from outside the case', () => {
    let d = run(initialSessionDraft(CASE), { type: 'kind', kind: 'hearing' });
    expect(d.officers.filter((o) => o.selected).map((o) => o.role)).toEqual([
      'investigator',
      'investigator',
    ]);
    expect(officerRuleProblem(d)).toBe('hearingModerator');
    d = run(d, { type: 'addOfficer', officer: { id: 9, name: '刘主持', certificateNo: 'Z' } });
    expect(d.officers.find((o) => o.officerId === 9)).toMatchObject({
      onCase: false,
      role: 'moderator',
    });
    expect(officerRuleProblem(d)).toBeNull();
    const onCaseModerator = run(
      d,
      { type: 'officerRole', officerId: 1, role: 'moderator' },
      { type: 'removeOfficer', officerId: 9 },
    );
    expect(officerRuleProblem(onCaseModerator)).toBe('moderatorNotInvestigator');
    // An investigator cannot sit on the panel either; an outsider can.
    expect(
      officerRuleProblem(run(d, { type: 'officerRole', officerId: 1, role: 'hearing_officer' })),
    ).toBe('hearingOfficerNotInvestigator');
    const panel = run(
      d,
      { type: 'addOfficer', officer: { id: 10, name: '陈听证', certificateNo: 'Y' } },
      { type: 'officerRole', officerId: 10, role: 'hearing_officer' },
    );
    expect(officerRuleProblem(panel)).toBeNull();
    expect(officerRuleProblem(run(panel, { type: 'kind', kind: 'interview' }))).toBe(
      'hearingOfficerAtHearings',
    );
  });

  it('keeps roles chosen by hand when the kind changes', () => {
    const d = run(
      initialSessionDraft(CASE),
      { type: 'officerRole', officerId: 1, role: 'recorder' },
      { type: 'kind', kind: 'inspection' },
    );
    expect(d.officers.find((o) => o.officerId === 1)?.role).toBe('recorder');
  });
});

describe('an agent at a hearing', () => {
  it('carries the agent’s authority and power of attorney, checked by the same rule as the core', () => {
    const base = run(
      initialSessionDraft(CASE),
      { type: 'kind', kind: 'hearing' },
      { type: 'field', field: 'place', value: '听证室' },
      { type: 'partySelected', partyId: 7, selected: true },
      { type: 'addOther' },
      { type: 'otherName', key: 1, name: '王明' },
      { type: 'otherRole', key: 1, role: 'agent' },
    );
    const schema = methods['sessions.create'].input;
    // No authority yet: refused at the agent's authority field.
    const missing = schema.safeParse(sessionInput(base, 1));
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path.join('.'))).toContain(
      participantPath(base, 1, 'authority'),
    );
    const d = run(
      base,
      { type: 'otherAuthority', key: 1, authority: 'special' },
      { type: 'otherMandate', key: 1, mandate: '授权委托书一份' },
    );
    const input = sessionInput(d, 1) as { participants: unknown[] };
    expect(input.participants[1]).toEqual({
      role: 'agent',
      name: '王明',
      authority: 'special',
      mandate: '授权委托书一份',
    });
    expect(schema.safeParse(input).success).toBe(true);
    // A witness carries none, whatever was typed while the row was an agent's.
    const witness = run(d, { type: 'otherRole', key: 1, role: 'witness' });
    expect((sessionInput(witness, 1) as { participants: unknown[] }).participants[1]).toEqual({
      role: 'witness',
      name: '王明',
    });
  });
});

describe('a witness’s particulars', () => {
  it('go with the witness, named as the row names them, and pass the same schema as the core', () => {
    const d = run(
      initialSessionDraft(CASE),
      { type: 'field', field: 'place', value: '询问室' },
      { type: 'addOther' },
      { type: 'otherName', key: 1, name: '周九' },
      {
        type: 'otherParticulars',
        key: 1,
        particulars: {
          ...emptyParty(),
          idType: 'passport',
          idNumber: 'e1234567',
          employer: '某公司',
        },
      },
    );
    const input = sessionInput(d, 1) as { participants: { particulars?: object }[] };
    expect(input.participants[0]!.particulars).toMatchObject({
      kind: 'person',
      name: '周九',
      idType: 'passport',
      idNumber: 'E1234567',
      employer: '某公司',
    });
    expect(methods['sessions.create'].input.safeParse(input).success).toBe(true);
    // Taken back: none sent.
    const none = run(d, { type: 'otherParticulars', key: 1, particulars: null });
    expect(
      (sessionInput(none, 1) as { participants: object[] }).participants[0],
    ).not.toHaveProperty('particulars');
  });
});
