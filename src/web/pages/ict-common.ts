import type { AppContext } from '../../app/context.js';
import { StatusService } from '../../app/status-service.js';

/** The ICT engineer's pages read the same service as `ezh status` and the metrics. */
export async function statusOf(app: AppContext): Promise<StatusService> {
  return new StatusService((await app.mirror()).db);
}

/** Status words as the engineer reads them, in Russian. */
export const STATUS_RU: Record<string, string> = {
  running: 'идёт',
  succeeded: 'успешно',
  held: 'удержано',
  partial: 'частично',
  failed: 'ошибка',
  interrupted: 'прервано',
  creating: 'создаётся',
  complete: 'готово',
  pruned: 'удалено по сроку',
};

export const ruStatus = (s: string): string => STATUS_RU[s] ?? s;
