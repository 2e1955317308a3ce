import { describe, expect, it } from 'vitest';
import { storageConfigSchemas } from '../../../electron/shared/api/storage';

describe('storage target addresses', () => {
  it('refuse a user name or password inside the URL: secrets have their own fields', () => {
    expect(
      storageConfigSchemas.webdav.safeParse({ url: 'https://dav.example.gov.cn/attest' }).success,
    ).toBe(true);
    const withSecret = storageConfigSchemas.webdav.safeParse({
      url: 'https://clerk:hunter2@dav.example.gov.cn/',
    });
    expect(withSecret.success).toBe(false);
    expect(JSON.stringify(withSecret.error?.issues)).toContain('own fields');
    expect(
      storageConfigSchemas.s3.safeParse({
        endpoint: 'https://key:secret@s3.example/',
        region: 'cn-north-1',
        bucket: 'evidence',
      }).success,
    ).toBe(false);
    expect(
      storageConfigSchemas.s3.safeParse({
        endpoint: 'https://s3.example/',
        region: 'cn-north-1',
        bucket: 'evidence',
      }).success,
    ).toBe(true);
  });
});
