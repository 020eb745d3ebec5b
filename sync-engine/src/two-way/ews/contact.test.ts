import { describe, expect, it } from 'vitest';
import { InvalidSyncItemError } from '../limits.js';
import type { ContactFields } from '../model.js';
import { contactFromEws, contactToEws } from './contact.js';
import type { EwsContact } from './ews-types.js';

const ews: EwsContact = {
  ItemId: { Id: 'AAMkAD-contact', ChangeKey: 'EQAAABYAAA1' },
  LastModifiedTime: '2026-02-01T09:00:00Z',
  Categories: ['tracked to crm'],
  GivenName: 'Björn',
  Surname: 'Ek',
  CompanyName: 'Customer AB',
  JobTitle: 'Head of Purchasing',
  EmailAddresses: [
    { Key: 'EmailAddress2', Value: 'SMTP:bjorn.ek@home.example' },
    { Key: 'EmailAddress1', Value: 'bjorn@customer.example' },
  ],
  PhoneNumbers: [
    { Key: 'BusinessPhone', Value: '+46 8 123 45 67' },
    { Key: 'MobilePhone', Value: '+46 70 123 45 67' },
    { Key: 'HomePhone', Value: '+46 8 765 43 21' },
  ],
  PhysicalAddresses: [
    { Key: 'Home', Street: 'Hemvägen 1', City: 'Solna' },
    { Key: 'Business', Street: 'Kungsgatan 10', City: 'Stockholm', PostalCode: '111 43', CountryOrRegion: 'Sweden' },
  ],
};

describe('Contact ↔ neutral contact', () => {
  it('reads the addresses in key order, the two phones and the business address', () => {
    const { item, markedForSync, warnings } = contactFromEws(ews);
    expect(markedForSync).toBe(true); // categories compare without case, as Outlook shows them
    expect(warnings).toEqual([]);
    expect(item.fields).toEqual<ContactFields>({
      firstName: 'Björn',
      lastName: 'Ek',
      emails: ['bjorn@customer.example', 'bjorn.ek@home.example'],
      businessPhone: '+46 8 123 45 67',
      mobilePhone: '+46 70 123 45 67',
      company: 'Customer AB',
      jobTitle: 'Head of Purchasing',
      businessAddress: { street: 'Kungsgatan 10', city: 'Stockholm', state: null, postalCode: '111 43', country: 'Sweden' },
    });
  });

  it('writes only the keys the CRM holds, so the user’s others stay', () => {
    const written = contactToEws(contactFromEws(ews).item.fields as ContactFields);
    expect(written).toEqual({
      GivenName: 'Björn',
      Surname: 'Ek',
      CompanyName: 'Customer AB',
      JobTitle: 'Head of Purchasing',
      EmailAddresses: [
        { Key: 'EmailAddress1', Value: 'bjorn@customer.example' },
        { Key: 'EmailAddress2', Value: 'bjorn.ek@home.example' },
      ],
      PhoneNumbers: [
        { Key: 'BusinessPhone', Value: '+46 8 123 45 67' },
        { Key: 'MobilePhone', Value: '+46 70 123 45 67' },
      ],
      PhysicalAddresses: [{ Key: 'Business', Street: 'Kungsgatan 10', City: 'Stockholm', State: null, PostalCode: '111 43', CountryOrRegion: 'Sweden' }],
    });
  });

  it('leaves out an Exchange-internal address and says so', () => {
    const { item, warnings } = contactFromEws({ ...ews, EmailAddresses: [{ Key: 'EmailAddress1', Value: '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=bjorn' }] });
    expect((item.fields as ContactFields).emails).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('reads a contact with nothing but a name', () => {
    const { item, markedForSync } = contactFromEws({ ItemId: ews.ItemId, LastModifiedTime: ews.LastModifiedTime, Surname: 'Ek' });
    expect(markedForSync).toBe(false);
    expect(item.fields).toMatchObject({ firstName: null, lastName: 'Ek', emails: [], businessAddress: null, businessPhone: null });
  });

  it('refuses names and phones over the CRM’s columns', () => {
    expect(() => contactFromEws({ ...ews, Surname: 'E'.repeat(101) })).toThrow(InvalidSyncItemError);
    expect(() => contactFromEws({ ...ews, PhoneNumbers: [{ Key: 'MobilePhone', Value: '1'.repeat(51) }] })).toThrow(/mobile phone is longer than 50/);
  });
});
