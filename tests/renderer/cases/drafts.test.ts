/** The editor-like form states as pure functions: case and party drafts. */
import { describe, expect, it } from 'vitest';
import { caseCreateSchema } from '@shared/api';
import {
  caseInput,
  emptyCase,
  leadOf,
  orderedOfficerIds,
  setLead,
  toggleOfficer,
  type CaseDraft,
} from '../../../renderer/src/features/cases/caseDraft';
import {
  emptyParty,
  partyInput,
  setPartyKind,
} from '../../../renderer/src/features/cases/partyDraft';

describe('case draft', () => {
  it('keeps picking order, with the lead first', () => {
    let d = emptyCase();
    d = toggleOfficer(d, 5, true);
    d = toggleOfficer(d, 3, true);
    d = toggleOfficer(d, 9, true);
    expect(leadOf(d)).toBe(5);
    expect(orderedOfficerIds(d)).toEqual([5, 3, 9]);
    d = setLead(d, 9);
    expect(orderedOfficerIds(d)).toEqual([9, 5, 3]);
    d = toggleOfficer(d, 9, false);
    expect(leadOf(d)).toBe(5);
    expect(orderedOfficerIds(d)).toEqual([5, 3]);
  });

  it('becomes valid cases.create input, the party only when asked for', () => {
    let d: CaseDraft = {
      ...emptyCase(),
      caseNo: 'A-1',
      cause: '案由',
      matterKind: 'penalty' as const,
      reason: '理由',
    };
    d = toggleOfficer(toggleOfficer(d, 1, true), 2, true);
    const plain = caseCreateSchema.safeParse(caseInput(d));
    expect(plain.success && plain.data.parties).toBeUndefined();
    d = {
      ...d,
      withParty: true,
      party: { ...emptyParty(), name: '王小明', idNumber: '11010519491231002x' },
    };
    const withParty = caseCreateSchema.safeParse(caseInput(d));
    expect(withParty.success && withParty.data.parties?.[0]?.idNumber).toBe('11010519491231002X');
  });

  it('sends a complainant only for complaints, but keeps what was typed', () => {
    const d = { ...emptyCase(), complainant: '张三', originKind: 'ex_officio' as const };
    expect((caseInput(d)['origin'] as Record<string, unknown>)['complainant']).toBeUndefined();
    expect(d.complainant).toBe('张三');
    const complaint = { ...d, originKind: 'complaint' as const };
    expect((caseInput(complaint)['origin'] as Record<string, unknown>)['complainant']).toBe('张三');
  });
});

describe('party draft', () => {
  it('follows the default ID type when the kind changes, unless chosen on purpose', () => {
    const person = emptyParty('person');
    expect(setPartyKind(person, 'organisation').idType).toBe('uscc');
    expect(setPartyKind({ ...person, idType: 'passport' }, 'organisation').idType).toBe('passport');
  });

  it('does not send a legal representative for a person', () => {
    expect(partyInput({ ...emptyParty('person'), legalRepresentative: 'x' })).not.toHaveProperty(
      'legalRepresentative',
    );
    expect(partyInput({ ...emptyParty('organisation'), legalRepresentative: 'x' })).toHaveProperty(
      'legalRepresentative',
      'x',
    );
  });
});
