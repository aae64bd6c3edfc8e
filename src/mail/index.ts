
export interface Mail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mail. Injected, so that the app never opens a connection by itself and tests choose the server. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Failures name the stage, never the SMTP URL (it may carry a password). */
export class MailError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** An SMTP mailer for `smtp://` / `smtps://` URLs. Connects per message; nothing happens until `send`. */
export function createSmtpMailer(url: string, from: string): Mailer {
  // Loaded only when mail is configured: it is 10 MB of memory that most servers never use.
  const { createTransport } = require('nodemailer') as typeof import('nodemailer');
  const transport = createTransport(url, { from });
  // Short limits: a stuck mail server must not hold sockets for nodemailer's default two minutes.
  Object.assign(transport.options, { connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10000 });
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from, to: [...mail.to], subject: mail.subject, text: mail.text });
      } catch (err) {
        const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
        const detail = typeof responseCode === 'number' ? ` (SMTP ${responseCode})` : '';
        throw new MailError(`could not send mail${detail}`, typeof code === 'string' ? code : undefined);
      }
    },
  };
}
