export {
  sendAlerts,
  type SendAlertsOptions,
  type AlertRunResult,
  type DigestOutcome,
} from './send-alerts.js';
export {
  deliverDocument,
  sendReports,
  type DeliverDocumentOptions,
  type DocumentRenderer,
  type DocumentRunResult,
  type ReportKind,
  type SendReportsOptions,
} from './send-documents.js';
export { sendOperatorAlerts, type OperatorAlertResult } from './operator-alerts.js';
export {
  sendScheduledDocument,
  type ScheduledDocumentOptions,
  type ScheduledEdition,
  type SubscribedDocument,
  type SubscribedDocuments,
} from './scheduled-documents.js';
export type { AlertDeps } from './deps.js';
export type { AlertChannel, OutgoingMessage, SendResult } from './channels/channel.js';
export {
  signBody,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  DELIVERY_HEADER,
} from './channels/webhook.js';
