import { redactValue } from '../../platform/redact.js';
import { QUEUES_PREFIX } from '../headers.js';
import { definePage } from '../page.js';

/**
 * `/ict/config`: the configuration in force, defaults applied and secrets redacted (the same as
 * `ezh config`), where it came from, and the links to the metrics endpoint and, in service mode,
 * the queues.
 */
export const ictConfigPage = definePage({
  id: 'ict-config',
  path: '/ict/config',
  roles: ['ict'],
  nav: 'Настройки',
  async load({ app }) {
    const metrics = app.config.jobs.metrics;
    return {
      kind: 'view',
      template: 'ict-config',
      title: 'Настройки',
      view: {
        source: app.configSource ?? 'встроенные значения по умолчанию',
        text: JSON.stringify(redactValue(app.config), null, 2),
        metricsUrl: metrics.enabled
          ? `http://${metrics.host.includes(':') ? `[${metrics.host}]` : metrics.host}:${metrics.port}/metrics`
          : null,
        queuesUrl: app.config.web.mode === 'service' ? `${QUEUES_PREFIX}/` : null,
      },
    };
  },
});
