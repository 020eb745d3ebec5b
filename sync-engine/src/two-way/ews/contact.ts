import { assertSyncable } from '../limits.js';
import type { ContactFields, PostalAddress } from '../model.js';
import { marked, refOf, text, type FromEws } from './ews-item.js';
import { DEFAULT_TRACKING_CATEGORY, type EwsContact, type EwsEmailKey, type EwsPhysicalAddress } from './ews-types.js';

const EMAIL_KEYS: readonly EwsEmailKey[] = ['EmailAddress1', 'EmailAddress2', 'EmailAddress3'];

/**
 * An EmailAddresses entry holds an SMTP address, sometimes prefixed "SMTP:"; an Exchange-internal (EX) one is an
 * X.500 path ("/o=…") that no other system can use: it is left out, with a warning.
 */
function smtp(value: string, warnings: string[]): string | null {
  const address = value.trim().replace(/^smtp:/i, '');
  if (address === '') return null;
  if (!address.includes('@')) {
    warnings.push(`an address that is not SMTP was left out: ${address.slice(0, 60)}`);
    return null;
  }
  return address;
}

function address(entry: EwsPhysicalAddress | undefined): PostalAddress | null {
  if (!entry) return null;
  const a: PostalAddress = {
    street: text(entry.Street),
    city: text(entry.City),
    state: text(entry.State),
    postalCode: text(entry.PostalCode),
    country: text(entry.CountryOrRegion),
  };
  return Object.values(a).every((v) => v === null) ? null : a;
}

/** ContactItemType → a neutral contact. Only the business address syncs, as Dynamics does by default. */
export function contactFromEws(ews: EwsContact, options: { readonly trackingCategory?: string } = {}): FromEws {
  const warnings: string[] = [];
  const byKey = new Map((ews.EmailAddresses ?? []).map((e) => [e.Key, e.Value]));
  const emails = EMAIL_KEYS.map((k) => byKey.get(k))
    .filter((v): v is string => v !== undefined)
    .map((v) => smtp(v, warnings))
    .filter((v): v is string => v !== null);
  const phone = (key: string) => text(ews.PhoneNumbers?.find((p) => p.Key === key)?.Value);
  const fields: ContactFields = {
    firstName: text(ews.GivenName),
    lastName: text(ews.Surname),
    emails,
    businessPhone: phone('BusinessPhone'),
    mobilePhone: phone('MobilePhone'),
    company: text(ews.CompanyName),
    jobTitle: text(ews.JobTitle),
    businessAddress: address(ews.PhysicalAddresses?.find((a) => a.Key === 'Business')),
  };
  return {
    ref: refOf(ews.ItemId, ews.LastModifiedTime),
    item: assertSyncable({ kind: 'CONTACT', fields }),
    markedForSync: marked(ews.Categories, options.trackingCategory ?? DEFAULT_TRACKING_CATEGORY),
    warnings,
  };
}

/**
 * A neutral contact → the ContactItemType properties to write. Keys the CRM does not hold (EmailAddress beyond the
 * given ones, HomePhone, the Home address…) are absent, so the adapter's UpdateItem leaves them as the user set them.
 */
export function contactToEws(fields: ContactFields): EwsContact {
  assertSyncable({ kind: 'CONTACT', fields });
  const phones = [
    ...(fields.businessPhone ? [{ Key: 'BusinessPhone', Value: fields.businessPhone }] : []),
    ...(fields.mobilePhone ? [{ Key: 'MobilePhone', Value: fields.mobilePhone }] : []),
  ];
  const a = fields.businessAddress;
  return {
    GivenName: fields.firstName,
    Surname: fields.lastName,
    CompanyName: fields.company,
    JobTitle: fields.jobTitle,
    EmailAddresses: fields.emails.map((Value, i) => ({ Key: EMAIL_KEYS[i], Value })),
    PhoneNumbers: phones,
    PhysicalAddresses: a
      ? [{ Key: 'Business', Street: a.street, City: a.city, State: a.state, PostalCode: a.postalCode, CountryOrRegion: a.country }]
      : [],
  };
}
