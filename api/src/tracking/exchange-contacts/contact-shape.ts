import { createHash } from 'node:crypto';
import { isEmail } from 'class-validator';
import { canUseField, type Principal } from '../../access/principal';
import { AccessEntity } from '../../access/privileges';
import { normalizeEmail } from '../../records/email-addresses';

/** What the CRM keeps of an Outlook contact, cut to the CRM's columns (contact.entity.ts). */
export interface ContactShape {
  readonly firstName: string | null;
  /** Required in the CRM: the surname, else the display name, else the company; null when the contact has none. */
  readonly lastName: string | null;
  readonly jobTitle: string | null;
  readonly telephone: string | null;
  readonly mobilePhone: string | null;
  /** Valid addresses, normalized, at most three (Outlook's EmailAddress1–3). */
  readonly emails: readonly string[];
  /**
   * The name of the CRM account the contact belongs to, as Outlook's Company shows it; null when the CRM contact has no
   * account the owner may read, or Outlook's company names no single account: then neither side's company is compared
   * or written (company-accounts.ts).
   */
  readonly company: string | null;
}

/** An Outlook contact as the engine read it. */
export interface OutlookContactFields {
  readonly givenName?: string | null;
  readonly surname?: string | null;
  readonly displayName?: string | null;
  readonly companyName?: string | null;
  readonly jobTitle?: string | null;
  readonly businessPhone?: string | null;
  readonly mobilePhone?: string | null;
  readonly emails?: readonly string[] | null;
}

const cut = (value: string | null | undefined, max: number): string | null => {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, max) : null;
};

/** Exchange keeps an internal (X.500) address where a contact was picked from the directory: not one the CRM can mail. */
const mailable = (address: string): boolean => address.length <= 320 && isEmail(address, { allow_utf8_local_part: true, require_tld: false, allow_ip_domain: true });

export function shapeOfOutlookContact(contact: OutlookContactFields): ContactShape {
  const emails = [...new Set((contact.emails ?? []).map((e) => normalizeEmail(e.replace(/^smtp:/i, ''))).filter(mailable))].slice(0, 3);
  return {
    firstName: cut(contact.givenName, 100),
    lastName: cut(contact.surname, 100) ?? cut(contact.displayName, 100) ?? cut(contact.companyName, 100),
    jobTitle: cut(contact.jobTitle, 100),
    telephone: cut(contact.businessPhone, 50),
    mobilePhone: cut(contact.mobilePhone, 50),
    emails,
    company: null,
  };
}

/** Secured fields of a contact (column security) that the shapes carry: the owner's Outlook sees only those they may read. */
export type ContactPhoneField = 'telephone' | 'mobilePhone';
const PHONE_FIELDS: readonly ContactPhoneField[] = ['telephone', 'mobilePhone'];

/** The secured fields the mailbox's owner may not read: neither written to their Outlook nor compared. */
export const withheldFrom = (owner: Principal): ContactPhoneField[] => PHONE_FIELDS.filter((field) => !canUseField(owner, AccessEntity.CONTACT, field, 'read'));

/** The shape without the withheld fields, so that a value only one side may show is no difference. */
export function withholding(shape: ContactShape, withheld: readonly ContactPhoneField[]): ContactShape {
  if (!withheld.length) return shape;
  return { ...shape, ...Object.fromEntries(withheld.map((field) => [field, null])) };
}

/**
 * A CRM contact as the hub writes it to Outlook: cut as an Outlook contact is read (so the written contact, read back,
 * has the same fingerprint) and with its first three addresses (Outlook's EmailAddress1–3).
 */
export function shapeOfCrmContact(contact: { firstName: string | null; lastName: string; jobTitle: string | null; telephone: string | null; mobilePhone: string | null }, emails: readonly string[], withheld: readonly ContactPhoneField[], company: string | null): ContactShape {
  const shape = shapeOfOutlookContact({ givenName: contact.firstName, surname: contact.lastName, jobTitle: contact.jobTitle, businessPhone: contact.telephone, mobilePhone: contact.mobilePhone, emails });
  return withholding({ ...shape, company }, withheld);
}

/**
 * SHA-256 of the shape: the same Outlook contact read again (or re-sent after a crash) changes nothing. The company
 * counts only when there is one, so pairs agreed on before companies were synced keep their fingerprints.
 */
export function contactFingerprint(shape: ContactShape): string {
  const fields = ['contact', shape.firstName, shape.lastName, shape.jobTitle, shape.telephone, shape.mobilePhone, [...shape.emails].sort()];
  if (shape.company !== null) fields.push(shape.company);
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}

/**
 * What an Outlook contact changes on its CRM contact: what Outlook holds replaces the CRM's value, what it leaves
 * empty is kept (the CRM contact is the organization's; one user's address book may know less), and its addresses
 * are added to the contact's, never removed, up to the CRM's 10.
 */
export function mergeIntoCrm(current: { firstName: string | null; lastName: string; jobTitle: string | null; telephone: string | null; mobilePhone: string | null; emails: readonly string[] }, outlook: ContactShape): {
  patch: { firstName?: string; lastName?: string; jobTitle?: string; telephone?: string; mobilePhone?: string };
  emails: string[] | null;
} {
  const patch: { firstName?: string; lastName?: string; jobTitle?: string; telephone?: string; mobilePhone?: string } = {};
  if (outlook.firstName && outlook.firstName !== current.firstName) patch.firstName = outlook.firstName;
  if (outlook.lastName && outlook.lastName !== current.lastName) patch.lastName = outlook.lastName;
  if (outlook.jobTitle && outlook.jobTitle !== current.jobTitle) patch.jobTitle = outlook.jobTitle;
  if (outlook.telephone && outlook.telephone !== current.telephone) patch.telephone = outlook.telephone;
  if (outlook.mobilePhone && outlook.mobilePhone !== current.mobilePhone) patch.mobilePhone = outlook.mobilePhone;
  const added = outlook.emails.filter((e) => !current.emails.includes(e));
  const emails = added.length ? [...current.emails, ...added].slice(0, 10) : null;
  return { patch, emails: emails && emails.length > current.emails.length ? emails : null };
}
