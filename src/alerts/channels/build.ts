import type { AlertChannelName, AlertsConfig } from '../../config/sections/alerts.js';
import { channelProblems } from '../../config/sections/alerts.js';
import { ConfigError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { Sleep } from '../retry.js';
import type { AlertChannel } from './channel.js';
import { DEFAULT_FROM } from './email-message.js';
import { createFileChannel } from './file.js';
import { createSmtpChannel } from './smtp.js';
import { createWebhookChannel } from './webhook.js';

/** The configured channels, or a ConfigError (exit 2) listing everything a channel still lacks. */
export function buildChannels(
  alerts: AlertsConfig,
  names: readonly AlertChannelName[],
  logger: Logger,
  sleep?: Sleep,
): AlertChannel[] {
  const problems = channelProblems(alerts, names);
  if (problems.length > 0) {
    throw new ConfigError(
      'alerts are not configured for sending',
      problems.map((p) => `alerts.${p.path.join('.')}: ${p.message}`),
    );
  }
  return names.map((name) => {
    switch (name) {
      case 'smtp':
        return createSmtpChannel(alerts, logger, sleep);
      case 'webhook':
        return createWebhookChannel(alerts, logger, { sleep });
      case 'file':
        return createFileChannel(alerts.fileDir, alerts.smtp.from ?? DEFAULT_FROM);
    }
  });
}
