import type { AlertChannelName } from '../../config/sections/alerts.js';

/** One message to one recipient, in every form a channel may need. */
export interface OutgoingMessage {
  /** Recipient's address; null for channels that do not need one (webhook). */
  to: string | null;
  recipientName: string;
  subject: string;
  text: string;
  html: string | null;
  /** Stable id of this message's content: the e-mail Message-ID and the webhook delivery id. */
  messageId: string;
  /** When it is sent (the e-mail's Date header); the channel's own clock when absent. */
  date?: number;
  /** A short, file-safe name (no personal data) for the file channel. */
  fileStem: string;
  attachments: { filename: string; path: string }[];
  /** Structured content for the webhook. */
  payload: Record<string, unknown>;
}

export interface SendResult {
  messageId: string;
  /** Where the file channel wrote the message. */
  path?: string;
}

export interface AlertChannel {
  readonly name: AlertChannelName;
  /** Whether a recipient without an address can be served. */
  readonly needsAddress: boolean;
  /** Resolves once the channel accepted the message (retries inside); throws when it finally did not. */
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}

/** A failure that retrying will not fix (5xx reply, bad address, 4xx from a webhook). */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
