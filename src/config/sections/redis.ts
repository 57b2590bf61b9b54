import { z } from 'zod';
import { serviceUrl } from '../fields.js';

export const redisSection = z
  .strictObject({
    /** Service mode only. Secret if it carries a password; from EZH_REDIS_URL. */
    url: serviceUrl(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
    /** Key prefix of every queue; distinct installations on one Redis use distinct prefixes. */
    prefix: z.string().min(1).default('ezh'),
  })
  .prefault({});
