import { z } from 'zod';

export const logSection = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** `auto`: pretty on a terminal, JSON lines otherwise. */
    format: z.enum(['auto', 'pretty', 'json']).default('auto'),
  })
  .prefault({});
