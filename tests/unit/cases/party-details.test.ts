/**
 * A person's particulars as the interview record's header prints them: a resident identity
 * number gives sex and date of birth (and what is typed must agree with it); the desk
 * completes the rest later, each change audited field by field.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { caseInput, residentId, seed, tempCore } from '../../helpers/core';

describe('party details', () => {
  let env: ReturnType<typeof tempCore>;
  let client: Client;
  let caseId: number;

  beforeEach(async () => {
    env = tempCore();
    client = connectInMemory(env.core);
    const { officers } = await seed(client);
    caseId = (await client.invoke('cases.create', caseInput([officers[0].id, officers[1].id]))).id;
  });
  afterEach(() => env.dispose());

  it('reads sex and date of birth from a resident identity number, and refuses what contradicts it', async () => {
    // 17th digit 3: odd, a man; born 1985-06-15.
    const id = residentId('11010519850615003');
    const p = await client.invoke('cases.addParty', {
      caseId,
      party: {
        kind: 'person',
        name: '钱七',
        idType: 'resident_id',
        idNumber: id,
        ethnicity: '回族',
      },
    });
    expect(p).toMatchObject({ gender: 'male', birthDate: '1985-06-15', ethnicity: '回族' });
    await expect(
      client.invoke('cases.addParty', {
        caseId,
        party: {
          kind: 'person',
          name: '孙八',
          idType: 'resident_id',
          idNumber: id,
          gender: 'female',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      client.invoke('cases.addParty', {
        caseId,
        party: {
          kind: 'person',
          name: '孙八',
          idType: 'resident_id',
          idNumber: id,
          birthDate: '1985-06-16',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // An organisation has no sex, birth or ethnicity; nobody is born tomorrow.
    await expect(
      client.invoke('cases.addParty', {
        caseId,
        party: {
          kind: 'organisation',
          name: '某公司',
          idType: 'other',
          idNumber: 'ORG-2',
          gender: 'male',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      client.invoke('cases.addParty', {
        caseId,
        party: {
          kind: 'person',
          name: '某',
          idType: 'passport',
          idNumber: 'E2',
          birthDate: '2999-01-01',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // A passport says nothing of either: what is typed is kept.
    const passport = await client.invoke('cases.addParty', {
      caseId,
      party: {
        kind: 'person',
        name: 'John Smith',
        idType: 'passport',
        idNumber: 'E12345678',
        gender: 'male',
        birthDate: '1970-02-28',
      },
    });
    expect(passport).toMatchObject({ gender: 'male', birthDate: '1970-02-28' });
    await expect(
      client.invoke('cases.addParty', {
        caseId,
        party: {
          kind: 'person',
          name: '某',
          idType: 'passport',
          idNumber: 'E1',
          birthDate: '1970-02-30',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('completes a party at the desk, audited field by field; a party stays a person', async () => {
    const detail = await client.invoke('cases.get', { id: caseId });
    const before = detail.parties[0]!;
    expect(before).toMatchObject({ gender: 'female', birthDate: '1949-12-31', employer: null });
    const after = await client.invoke('cases.updateParty', {
      caseId,
      partyId: before.id,
      party: {
        kind: 'person',
        name: before.name,
        idType: before.idType,
        idNumber: before.idNumber,
        address: before.address ?? undefined,
        contact: '13900000000',
        ethnicity: '汉族',
        employer: '石家庄某置业有限公司',
        position: '项目经理',
      },
    });
    expect(after).toMatchObject({
      gender: 'female',
      birthDate: '1949-12-31',
      ethnicity: '汉族',
      employer: '石家庄某置业有限公司',
      position: '项目经理',
      contact: '13900000000',
    });
    const trail = await client.invoke('audit.list', { entity: 'party', entityId: before.id });
    expect(trail[0]).toMatchObject({
      action: 'party.updated',
      data: {
        changed: {
          contact: { from: '13800000000', to: '13900000000' },
          ethnicity: { from: null, to: '汉族' },
          employer: { from: null, to: '石家庄某置业有限公司' },
          position: { from: null, to: '项目经理' },
        },
      },
    });
    await expect(
      client.invoke('cases.updateParty', {
        caseId,
        partyId: before.id,
        party: {
          kind: 'organisation',
          name: '某公司',
          idType: 'uscc',
          idNumber: '91130100MA0ABCDE1X',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
