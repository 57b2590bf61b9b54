/** The analytics layer (issue 21): progress, rating and forecasts over the mirror. */
export * from './averages.js';
export * from './forecast.js';
export * from './journal.js';
export * from './progress.js';
export * from './rating.js';
export * from './scope.js';
export * from './weeks.js';
