import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../app/config.js';
import { createLogger } from './logger.js';

/** An in-memory sink collecting every JSON line the logger writes. */
function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

describe('logger redaction', () => {
  it('never lets a token from config reach a log line, wherever it appears', () => {
    const token = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    const { config } = loadAppConfig({
      file: 'test/fixtures/config/empty.yaml',
      env: { EZH_DNEVNIK_TOKEN: token },
    });
    const { stream, lines } = sink();
    const log = createLogger({ level: 'trace', destination: stream });
    log.info({ config }, 'loaded');
    log.info(`calling https://api.dnevnik.ru/v2/users/me?access_token=${token}`);
    log.warn(
      { headers: { 'Access-Token': token }, nested: { deep: [{ text: `token is ${token}` }] } },
      'request',
    );
    log.error({ err: new Error(`invalidToken: ${token} rejected`) }, 'failed');
    const child = log.child({ auth: token });
    child.debug('child line');
    expect(lines.length).toBe(5);
    for (const line of lines) expect(line).not.toContain(token);
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('masks e-mail addresses, phone numbers and password fields', () => {
    const { stream, lines } = sink();
    const log = createLogger({ level: 'info', destination: stream });
    log.info(
      {
        teacher: { email: 'ivanova@school.ru', phone: '+7 (912) 345-67-89' },
        smtp: { password: 'hunter22!' },
      },
      'mail to ivanova@school.ru, tel 8 912 345 67 89',
    );
    const text = lines.join('\n');
    for (const secret of ['ivanova@school.ru', '345-67-89', '345 67 89', 'hunter22!']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('mail to [redacted]');
  });

  it('keeps ordinary content readable', () => {
    const { stream, lines } = sink();
    const log = createLogger({ level: 'info', destination: stream });
    log.info({ class: '5А', marks: 1234, lesson: '1847814077665489232' }, 'synced');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      class: '5А',
      marks: 1234,
      lesson: '1847814077665489232',
      msg: 'synced',
    });
  });
});
