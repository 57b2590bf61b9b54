/**
 * The progress service lives in the domain layer (src/analytics/service.ts), where the documents
 * (reports/) can load from it; the app and its doors keep this name for it.
 */
export * from '../analytics/service.js';
