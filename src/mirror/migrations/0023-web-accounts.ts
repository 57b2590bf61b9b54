import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * The web site's local accounts and its audit trail (issue 22). `web_users`: the ICT engineer's
 * and schools-without-OAuth accounts (`ezh users add|passwd|disable`), Argon2id hashes only.
 * `web_audit`: every login, failed login, logout and finding action on the site, with who, when
 * and from which address; never rewritten. Read and written with plain SQL
 * (src/mirror/repositories/web-users.ts, web-audit.ts). Frozen: later changes are new migrations.
 */
const WEB_USERS: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'web_users',
  columns: [
    { name: 'login', type: 'text', nullable: false },
    { name: 'display_name', type: 'text', nullable: false },
    /** Argon2id, PHC string (`$argon2id$v=19$…`). */
    { name: 'password_hash', type: 'text', nullable: false },
    /** JSON array of roles given to the account itself (admin, ict, …). */
    { name: 'roles', type: 'text', nullable: false },
    /** The mirror's person the account is (a teacher's local account): their classes and lessons. */
    { name: 'person_id', type: 'text', nullable: true },
    /** 1: cannot log in, its sessions end. */
    { name: 'disabled', type: 'integer', nullable: false },
    /** Sessions issued before this instant (epoch ms) are void: a password change, a disable. */
    { name: 'sessions_after', type: 'bigint', nullable: false },
    { name: 'created_at', type: 'bigint', nullable: false },
    { name: 'updated_at', type: 'bigint', nullable: false },
  ],
  primary: ['login'],
  indexes: [['person_id']],
});

const WEB_AUDIT: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'web_audit',
  columns: [
    { name: 'id', type: 'text', nullable: false },
    { name: 'at', type: 'bigint', nullable: false },
    /** login | login_failed | logout | finding_action | action */
    { name: 'kind', type: 'text', nullable: false },
    /** `local:<login>` or `platform:<personId>`; a failed login: the login that was tried. */
    { name: 'actor', type: 'text', nullable: false },
    { name: 'ip', type: 'text', nullable: true },
    /** What was done (the finding and action, the login method); never a password. */
    { name: 'detail', type: 'text', nullable: true },
  ],
  primary: ['id'],
  indexes: [['at'], ['actor', 'at']],
});

export class WebAccounts1763900000023 implements MigrationInterface {
  name = 'WebAccounts1763900000023';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, WEB_USERS);
    await createTableFromDef(qr, WEB_AUDIT);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(WEB_AUDIT.name, true);
    await qr.dropTable(WEB_USERS.name, true);
  }
}
