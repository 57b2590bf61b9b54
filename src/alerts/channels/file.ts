import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { writePrivateFileAtomic } from '../../platform/private-files.js';
import type { AlertChannel, OutgoingMessage, SendResult } from './channel.js';
import { toRawMail } from './email-message.js';

/**
 * Writes each message as an .eml file (exactly what SMTP would have carried) instead of sending:
 * the demo's `./out/alerts`, or a school that forwards mail by other means. A file is written to
 * a temporary name and renamed, so a reader never sees half a message.
 */
export function createFileChannel(dir: string, from: string): AlertChannel {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return {
    name: 'file',
    needsAddress: true,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const info = await transport.sendMail(await toRawMail(message, from));
      const path = join(dir, `${message.fileStem}.eml`);
      // 0600 in a folder made 0700: a digest names students and their marks.
      writePrivateFileAtomic(path, info.message as Buffer);
      return { messageId: (info.messageId as string | undefined) ?? message.messageId, path };
    },
    async close() {
      transport.close();
    },
  };
}
