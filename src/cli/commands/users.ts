import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { addUser, changePassword, listUsers, setUserDisabled } from '../../app/accounts-service.js';
import { UsageError } from '../../platform/errors.js';
import { withApp } from '../run-action.js';

const LOCAL_ROLES = ['admin', 'ict'] as const;
type LocalRole = (typeof LOCAL_ROLES)[number];

/**
 * `ezh users add|passwd|disable|enable|list`: the web site's local accounts (the ICT engineer, and
 * schools without the platform's OAuth). A password is read from a prompt (not echoed) or, when
 * stdin is not a terminal, its first line: never from the command line, where `ps` and the shell
 * history would keep it.
 */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description("the web site's local accounts");

  users
    .command('add <login>')
    .description('add an account; the password is asked for (or read from stdin)')
    .requiredOption('--name <name>', 'display name, e.g. "Иванова Мария Петровна"')
    .option('--role <role...>', `roles of the account itself: ${LOCAL_ROLES.join(', ')}`)
    .option(
      '--person <id>',
      "the mirror's person (a teacher): their classes and lessons give the other roles",
    )
    .action(
      withApp(
        async (app, login: string, opts: { name: string; role?: string[]; person?: string }) => {
          const roles = parseRoles(opts.role ?? []);
          const password = await readPassword(`Password for ${login}: `);
          const db = (await app.mirror()).db;
          await addUser(
            db,
            { login, displayName: opts.name, password, roles, personId: opts.person ?? null },
            Date.now(),
          );
          process.stdout.write(`user ${login} added\n`);
        },
      ),
    );

  users
    .command('passwd <login>')
    .description("set an account's password (its open sessions end)")
    .action(
      withApp(async (app, login: string) => {
        const password = await readPassword(`New password for ${login}: `);
        await changePassword((await app.mirror()).db, login, password, Date.now());
        process.stdout.write(`password of ${login} changed\n`);
      }),
    );

  users
    .command('disable <login>')
    .description('disable an account (it cannot log in, its open sessions end)')
    .action(
      withApp(async (app, login: string) => {
        await setUserDisabled((await app.mirror()).db, login, true, Date.now());
        process.stdout.write(`user ${login} disabled\n`);
      }),
    );

  users
    .command('enable <login>')
    .description('enable a disabled account again')
    .action(
      withApp(async (app, login: string) => {
        await setUserDisabled((await app.mirror()).db, login, false, Date.now());
        process.stdout.write(`user ${login} enabled\n`);
      }),
    );

  users
    .command('list')
    .description('list the accounts (never their hashes)')
    .action(
      withApp(async (app) => {
        const rows = await listUsers((await app.mirror()).db);
        if (rows.length === 0) {
          process.stdout.write('no local accounts (add one: ezh users add <login> --name …)\n');
          return;
        }
        for (const u of rows) {
          const extra = [
            u.roles.length > 0 ? `roles ${u.roles.join(',')}` : null,
            u.personId ? `person ${u.personId}` : null,
            u.disabled ? 'DISABLED' : null,
          ].filter(Boolean);
          process.stdout.write(`${u.login}\t${u.displayName}\t${extra.join('; ')}\n`);
        }
      }),
    );
}

function parseRoles(values: string[]): LocalRole[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(LOCAL_ROLES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new UsageError('invalid --role', [
      ...unknown.map((n) => `unknown role "${n}": expected ${LOCAL_ROLES.join(' or ')}`),
      'class teacher and subject teacher come from the mirror: link the account with --person',
    ]);
  }
  return [...new Set(names)] as LocalRole[];
}

/** A prompt without echo on a terminal; otherwise the first line of stdin. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new UsageError('no password on stdin (give it as the first line)');
  }
  process.stderr.write(prompt);
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  // Echo off: readline writes what is typed through this function; nothing is shown.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return line;
}
