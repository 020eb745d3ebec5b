// The shapes the hub's trackEmails mutation takes (api/src/tracking/track-emails.inputs.ts), as plain
// data: what parse-message.ts produces and the hub client sends unchanged.

/** One address as written in a header. */
export interface MailAddress {
  readonly address: string;
  readonly name: string | null;
}

export interface MailHeader {
  readonly name: string;
  readonly value: string;
}

/**
 * An attachment as the hub receives it: sent along (content), uploaded first (sha256), or skipped as too large
 * (neither).
 */
export interface TrackAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string | null;
  /** The file in base64, for one small enough to travel inside its item (INLINE_ATTACHMENT_BYTES). */
  readonly content?: string;
  readonly contentId: string | null;
  readonly inline: boolean;
}

/** An attendee as the invitation lists it (RFC 5545 3.8.4.1). */
export interface CalendarAttendee {
  readonly address: string;
  readonly name: string | null;
  /** REQ-PARTICIPANT, OPT-PARTICIPANT, CHAIR or NON-PARTICIPANT (RFC 5545 3.2.16; REQ-PARTICIPANT when absent). */
  readonly role: string;
  /** NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED… (RFC 5545 3.2.12; NEEDS-ACTION when absent). */
  readonly partstat: string;
}

/** The meeting a text/calendar part describes: the hub's CalendarInput. */
export interface CalendarInput {
  /** iTIP method (RFC 5546 1.4): REQUEST, CANCEL, REPLY, PUBLISH, COUNTER…; PUBLISH for an object without METHOD. */
  readonly method: string;
  readonly uid: string;
  readonly sequence: number;
  readonly summary: string | null;
  readonly location: string | null;
  readonly description: string | null;
  /** ISO 8601 in UTC; for an all-day event, midnight UTC of the first day. */
  readonly start: string | null;
  /** ISO 8601 in UTC, exclusive; for an all-day event, midnight UTC of the day after the last day. */
  readonly end: string | null;
  readonly allDay: boolean;
  readonly organizer: MailAddress | null;
  readonly attendees: readonly CalendarAttendee[];
  /** CONFIRMED, TENTATIVE or CANCELLED (RFC 5545 3.8.1.11); null when absent. */
  readonly status: string | null;
  /** The Exchange ItemId of the Calendar entry (appointments read from an Exchange Calendar only). */
  readonly itemId?: string | null;
  /** Its ChangeKey, the version read (Exchange Calendar only). */
  readonly changeKey?: string | null;
  /** Its LastModifiedTime, ISO 8601 (Exchange Calendar only): when both sides changed, the later change wins. */
  readonly lastModifiedAt?: string | null;
  /** Exchange says the mailbox organizes the meeting (MyResponseType Organizer; Exchange Calendar only). */
  readonly mailboxOrganizes?: boolean;
  /** The entry's invitations were sent (MeetingRequestWasSent; Exchange Calendar only). */
  readonly invitationsSent?: boolean;
}

/** One message as the hub's TrackEmailItemInput wants it. */
export interface TrackEmailItem {
  /** Without angle brackets; null when the message has none (the hub keys it by a content hash). */
  readonly messageId: string | null;
  readonly folder: string | null;
  /** OUTGOING for mail read from the Sent folder; null lets the hub decide from the From address. */
  readonly direction: 'INCOMING' | 'OUTGOING' | null;
  readonly subject: string | null;
  readonly from: MailAddress | null;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  /** The Date header as written; the hub parses and salvages it. */
  readonly date: string | null;
  /** ISO 8601: when the server received it. */
  readonly receivedAt: string | null;
  /** Without angle brackets. */
  readonly inReplyTo: string | null;
  /** Oldest first, without angle brackets. */
  readonly references: readonly string[];
  readonly threadIndex: string | null;
  readonly headers: readonly MailHeader[];
  readonly textBody: string | null;
  readonly htmlBody: string | null;
  readonly attachments: readonly TrackAttachment[];
  readonly calendar: CalendarInput | null;
}
