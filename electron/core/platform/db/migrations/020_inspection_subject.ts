import type { Migration } from './index';

/**
 * What an on-site inspection (现场检查、勘验) looks at: its objects and items (检查对象及项目),
 * printed in the head of its own record form.
 */
export const migration020: Migration = {
  version: 20,
  name: 'inspection subject',
  up(db) {
    db.exec(`ALTER TABLE sessions ADD COLUMN subject TEXT;`);
  },
};
