import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { subscribableDocumentIds } from '../../app/documents-service.js';
import { registerAlertsCommand } from './alerts.js';

describe('ezh alerts reports --kind', () => {
  it('offers every document of the registry people subscribe to, not a fixed pair', () => {
    const program = new Command();
    registerAlertsCommand(program);
    const reports = program.commands
      .find((c) => c.name() === 'alerts')!
      .commands.find((c) => c.name() === 'reports')!;
    const kind = reports.options.find((o) => o.long === '--kind')!;
    expect(kind.argChoices).toEqual(subscribableDocumentIds());
    expect(kind.argChoices).toEqual(expect.arrayContaining(['audit', 'performance', 'activity']));
    expect(kind.defaultValue).toBe('audit');
  });
});
