export { TOTALS_TABLE } from './build-sql.js';
export { refreshPeriodTotals, totalsAnswerFor, type TotalsRefresh } from './refresh.js';
export { preparePeriodTotals } from './for-run.js';
