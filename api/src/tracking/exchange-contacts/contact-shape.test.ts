import { describe, expect, it } from 'vitest';
import { contactFingerprint, mergeIntoCrm, shapeOfCrmContact, shapeOfOutlookContact, withholding } from './contact-shape';

describe('an Outlook contact as the CRM keeps it', () => {
  it('takes the surname as the last name, else the display name or company; keeps up to three mailable addresses', () => {
    expect(shapeOfOutlookContact({ givenName: ' Åsa ', surname: 'Lind', emails: ['Asa.Lind@Contoso.example', 'SMTP:asa@contoso.example', '/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=asa', 'asa.lind@contoso.example'] })).toEqual({
      firstName: 'Åsa', lastName: 'Lind', jobTitle: null, telephone: null, mobilePhone: null, emails: ['asa.lind@contoso.example', 'asa@contoso.example'], company: null,
    });
    expect(shapeOfOutlookContact({ displayName: 'Reception desk' }).lastName).toBe('Reception desk');
    expect(shapeOfOutlookContact({ companyName: 'Contoso AB' }).lastName).toBe('Contoso AB');
    expect(shapeOfOutlookContact({}).lastName).toBeNull();
    expect(shapeOfOutlookContact({ surname: 'x'.repeat(300), businessPhone: '1'.repeat(80) })).toMatchObject({ lastName: 'x'.repeat(100), telephone: '1'.repeat(50) });
  });

  it('has the same fingerprint however its addresses are ordered or spaced', () => {
    const a = shapeOfOutlookContact({ surname: 'Lind', emails: ['a@x.example', 'b@x.example'] });
    const b = shapeOfOutlookContact({ surname: ' Lind', emails: ['B@x.example', 'a@x.example'] });
    expect(contactFingerprint(a)).toBe(contactFingerprint(b));
    expect(contactFingerprint(a)).not.toBe(contactFingerprint({ ...a, jobTitle: 'CFO' }));
  });

  it('merges into the CRM contact: what Outlook holds replaces, what it leaves empty stays, addresses are added and never removed', () => {
    const current = { firstName: 'Åsa', lastName: 'Lind', jobTitle: 'Buyer', telephone: '+46 8 123', mobilePhone: null, emails: ['asa@contoso.example'] };
    const outlook = shapeOfOutlookContact({ givenName: 'Åsa', surname: 'Lind-Berg', mobilePhone: '+46 70 555', emails: ['asa.lind@contoso.example'] });
    expect(mergeIntoCrm(current, outlook)).toEqual({ patch: { lastName: 'Lind-Berg', mobilePhone: '+46 70 555' }, emails: ['asa@contoso.example', 'asa.lind@contoso.example'] });
    expect(mergeIntoCrm(current, shapeOfOutlookContact({ surname: 'Lind', emails: ['asa@contoso.example'] }))).toEqual({ patch: {}, emails: null });
  });

  it('a CRM contact as the hub writes it reads back from Outlook with the same fingerprint; withheld numbers are no difference', () => {
    const crm = { firstName: ' Åsa', lastName: 'Lind', jobTitle: 'x'.repeat(120), telephone: '+46 8 123', mobilePhone: null };
    const written = shapeOfCrmContact(crm, ['asa@contoso.example', 'a2@contoso.example', 'a3@contoso.example', 'a4@contoso.example'], [], null);
    expect(written).toMatchObject({ firstName: 'Åsa', jobTitle: 'x'.repeat(100), emails: ['asa@contoso.example', 'a2@contoso.example', 'a3@contoso.example'] });
    const readBack = shapeOfOutlookContact({ givenName: written.firstName, surname: written.lastName, displayName: 'Åsa Lind', jobTitle: written.jobTitle, businessPhone: written.telephone, emails: [...written.emails].reverse() });
    expect(contactFingerprint(readBack)).toBe(contactFingerprint(written));
    const hidden = shapeOfCrmContact(crm, ['asa@contoso.example'], ['telephone', 'mobilePhone'], null);
    expect(hidden).toMatchObject({ telephone: null, mobilePhone: null });
    const outlookWithItsOwn = shapeOfOutlookContact({ givenName: 'Åsa', surname: 'Lind', jobTitle: 'x'.repeat(100), businessPhone: '+46 8 999', mobilePhone: '+46 70 999', emails: ['asa@contoso.example'] });
    expect(contactFingerprint(withholding(outlookWithItsOwn, ['telephone', 'mobilePhone']))).toBe(contactFingerprint(hidden));
  });

  it('counts the company only when it names an account, so pairs agreed on without one keep their fingerprints', () => {
    const crm = { firstName: 'Åsa', lastName: 'Lind', jobTitle: null, telephone: null, mobilePhone: null };
    const without = shapeOfCrmContact(crm, ['asa@contoso.example'], [], null);
    const withAccount = shapeOfCrmContact(crm, ['asa@contoso.example'], [], 'Contoso AB');
    expect(withAccount.company).toBe('Contoso AB');
    expect(contactFingerprint(without)).toBe(contactFingerprint(shapeOfOutlookContact({ givenName: 'Åsa', surname: 'Lind', emails: ['asa@contoso.example'] })));
    expect(contactFingerprint(withAccount)).not.toBe(contactFingerprint(without));
    expect(contactFingerprint(withAccount)).not.toBe(contactFingerprint({ ...withAccount, company: 'Fabrikam' }));
  });
});
