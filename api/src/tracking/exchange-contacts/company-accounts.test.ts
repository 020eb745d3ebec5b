import { describe, expect, it } from 'vitest';
import { accountShownBy } from './company-accounts';

describe('the account an Outlook company stands for', () => {
  const own = { id: 'own', name: 'Öresund Logistik' };
  const namesake = { id: 'namesake', name: 'Oresund Logistik' };

  it('is the paired contact\'s own account when the company shows its name (case, accents and spacing aside), even if another account has that name', () => {
    expect(accountShownBy('Öresund Logistik', own, new Map())).toBe(own);
    expect(accountShownBy(' öresund  LOGISTIK ', own, new Map())).toBe(own);
    expect(accountShownBy('Oresund Logistik', own, new Map([['Oresund Logistik', namesake]]))).toBe(own);
  });

  it('is otherwise the one account the company names, or none', () => {
    expect(accountShownBy('Oresund Logistik', null, new Map([['Oresund Logistik', namesake]]))).toBe(namesake);
    expect(accountShownBy('Fabrikam', own, new Map())).toBeNull();
    expect(accountShownBy(null, own, new Map())).toBeNull();
    expect(accountShownBy('  ', own, new Map())).toBeNull();
  });
});
