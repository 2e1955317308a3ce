import { describe, expect, it } from 'vitest';
import { caseCreateSchema, methods } from '@shared/api';
import { partyInputSchema } from '@shared/domain';
import { ApiError } from '@shared/client';
import {
  closestField,
  describeCoreIssue,
  formFailure,
  nestedErrors,
  validate,
} from '../../../renderer/src/ui/fieldErrors';

const VALID_ID = '11010519491231002X';

function caseInput(over: Record<string, unknown> = {}) {
  return {
    caseNo: '京人防罚〔2026〕1号',
    cause: '未按规定修建防空地下室',
    matterKind: 'penalty',
    origin: { kind: 'ex_officio', reason: '日常巡查' },
    officerIds: [1, 2],
    ...over,
  };
}

describe('validate with the shared schemas', () => {
  it('passes valid input through, trimmed', () => {
    const r = validate(caseCreateSchema, caseInput({ cause: '  案由  ' }));
    expect(r.ok && r.value.cause).toBe('案由');
  });

  it('maps issues to dotted field paths in plain words', () => {
    const r = validate(
      caseCreateSchema,
      caseInput({
        caseNo: '   ',
        matterKind: undefined,
        origin: { kind: 'complaint', reason: '' },
        officerIds: [1],
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields['caseNo']).toEqual({ key: 'errors.field.required' });
    expect(r.fields['matterKind']).toEqual({ key: 'errors.field.choose' });
    expect(r.fields['origin.complainant']).toEqual({ key: 'errors.field.complainantRequired' });
    expect(r.fields['origin.reason']).toEqual({ key: 'errors.field.reasonRequired' });
    expect(r.fields['officerIds']).toEqual({ key: 'errors.field.tooFew', values: { min: 2 } });
  });

  it('says "required" for an empty field and "too short" for a short one', () => {
    const setup = methods['auth.setup'].input;
    const empty = validate(setup, { username: '', displayName: 'A', password: 'x'.repeat(10) });
    const short = validate(setup, { username: 'a', displayName: 'A', password: 'x'.repeat(10) });
    expect(!empty.ok && empty.fields['username']).toEqual({ key: 'errors.field.required' });
    expect(!short.ok && short.fields['username']).toEqual({
      key: 'errors.field.tooShort',
      values: { min: 2 },
    });
  });

  it('checks resident IDs and credit codes with the shared validators', () => {
    const person = { kind: 'person', name: '王小明', idType: 'resident_id' };
    expect(validate(partyInputSchema, { ...person, idNumber: VALID_ID }).ok).toBe(true);
    const bad = validate(partyInputSchema, { ...person, idNumber: '110105194912310021' });
    expect(!bad.ok && bad.fields['idNumber']).toEqual({ key: 'errors.field.residentId' });
    const org = validate(partyInputSchema, { ...person, kind: 'organisation', idNumber: VALID_ID });
    expect(!org.ok && org.fields['idType']).toEqual({ key: 'errors.field.orgNeedsUscc' });
  });

  it('words a too-long field and a bad pattern', () => {
    const r = validate(methods['officers.create'].input, {
      name: '张'.repeat(61),
      certificateNo: 'ZF 01#',
    });
    expect(!r.ok && r.fields['name']).toEqual({ key: 'errors.field.tooLong', values: { max: 60 } });
    expect(!r.ok && r.fields['certificateNo']).toEqual({ key: 'errors.field.codeChars' });
  });

  it('strips a prefix and splits nested errors', () => {
    const r = validate(
      caseCreateSchema,
      caseInput({ parties: [{ kind: 'person', name: '', idType: 'resident_id', idNumber: 'x' }] }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const party = nestedErrors(r.fields, 'parties.0.');
    expect(party['name']).toEqual({ key: 'errors.field.required' });
    expect(party['idNumber']).toEqual({ key: 'errors.field.residentId' });
  });
});

describe("the core's refusals", () => {
  it('re-words zod default messages and known custom ones', () => {
    expect(describeCoreIssue('Too small: expected string to have >=1 characters')).toEqual({
      key: 'errors.field.required',
    });
    expect(describeCoreIssue('Too small: expected array to have >=2 items')).toEqual({
      key: 'errors.field.tooFew',
      values: { min: 2 },
    });
    expect(describeCoreIssue('Too big: expected string to have <=60 characters')).toEqual({
      key: 'errors.field.tooLong',
      values: { max: 60 },
    });
    expect(describeCoreIssue('a complaint records the complainant')).toEqual({
      key: 'errors.field.complainantRequired',
    });
    expect(describeCoreIssue('something new')).toEqual({
      key: 'errors.field.invalid',
      detail: 'something new',
    });
  });

  it('puts INVALID_INPUT issues on the fields the form renders, the rest in the banner', () => {
    const error = new ApiError({
      code: 'INVALID_INPUT',
      message: 'invalid input',
      issues: [
        { path: 'party.idNumber', message: 'not a valid resident identity number' },
        { path: 'party.name', message: 'Too small: expected string to have >=1 characters' },
        { path: 'caseId', message: 'Invalid input' },
      ],
    });
    const failure = formFailure(error, { stripPrefix: 'party.', fields: ['name', 'idNumber'] });
    expect(failure.fields).toEqual({
      idNumber: { key: 'errors.field.residentId' },
      name: { key: 'errors.field.required' },
    });
    expect(failure.banner).toEqual({
      key: 'errors.code.INVALID_INPUT',
      detail: 'caseId: Invalid input',
    });
  });

  it('shows a CONFLICT at the unique field', () => {
    const error = new ApiError({ code: 'CONFLICT', message: 'case number 1 already exists' });
    const failure = formFailure(error, { conflict: { field: 'caseNo', key: 'caseNo' } });
    expect(failure.fields).toEqual({ caseNo: { key: 'errors.conflict.caseNo' } });
    expect(failure.banner).toEqual({
      key: 'errors.code.CONFLICT',
      detail: 'case number 1 already exists',
    });
  });

  it('words other codes at the top, and anything else as unexpected', () => {
    const rule = new ApiError({ code: 'RULE_VIOLATION', message: 'at least two officers' });
    expect(formFailure(rule)).toEqual({
      fields: {},
      banner: { key: 'errors.code.RULE_VIOLATION', detail: 'at least two officers' },
    });
    expect(formFailure(new Error('boom')).banner).toEqual({
      key: 'errors.unexpected',
      detail: 'boom',
    });
  });

  it('finds the nearest rendered field of a deep path', () => {
    expect(closestField('officers.1.officerId', ['officers', 'place'])).toBe('officers');
    expect(closestField('participants.0.name', ['participants.0.name', 'participants'])).toBe(
      'participants.0.name',
    );
    expect(closestField('caseId', ['place'])).toBeNull();
  });
});
