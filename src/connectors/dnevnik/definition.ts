import { defineConnector } from '../define-connector.js';
import { dnevnikAuth } from './auth.js';
import { createDnevnikConnector } from './dnevnik.connector.js';
import { dnevnikClientSettings, dnevnikSettings } from './settings.js';
import { dnevnikTokenProvider } from './token-from-config.js';

/** Dnevnik.ru and its white-label hosts (`platform.kind: dnevnik`, the default). */
export const dnevnik = defineConnector({
  kind: 'dnevnik',
  settings: dnevnikSettings,
  secrets: ['token', 'oauth.clientSecret', 'oauth.refreshToken'],
  env: {
    EZH_DNEVNIK_TOKEN: 'token',
    EZH_DNEVNIK_CLIENT_SECRET: 'oauth.clientSecret',
    EZH_DNEVNIK_REFRESH_TOKEN: 'oauth.refreshToken',
  },
  auth: dnevnikAuth,
  create(platform, { school = null, tokens, timing, limiters }) {
    const settings = dnevnikClientSettings(platform, school);
    return createDnevnikConnector(settings, {
      // A school's own token, a refreshing OAuth grant or the static platform token.
      tokens: tokens !== undefined ? tokens : dnevnikTokenProvider(platform, school, settings),
      timing,
      limiters,
    });
  },
});
