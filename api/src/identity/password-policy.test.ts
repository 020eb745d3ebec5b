import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['too short', 'Xk9#mq2$', /at least 12 characters/],
    ['too long', 'Xk9#mq2$vL'.repeat(21), /at most 200 characters/],
    ['on the breached list', '1qaz2wsx3edc', /breached/],
    ['breached, in capitals', 'QWERTY123456', /breached/],
    ['a repeated word', 'sunshinesunshine', /too easy to guess/],
    ['one character repeated', 'aaaaaaaaaaaaaaaa', /too easy to guess/],
    ['a keyboard walk', 'qwertyuiop123', /breached|too easy/],
  ])('refuses a password that is %s', (_, password, reason) => {
    expect(passwordProblem(password)).toMatch(reason);
  });

  it('refuses a password made of the user’s own email or name', () => {
    expect(passwordProblem('mariamanager1', ['maria.manager@demo.crm.test', 'Maria Manager'])).toMatch(/too easy to guess/);
  });

  it.each(['correct horse battery staple', 'Tr0ub4dor&3xyz!', 'vX7#pQ2m!Lw9zR'])('accepts %s', (password) => {
    expect(passwordProblem(password, ['ada@example.com', 'Ada Admin'])).toBeUndefined();
  });
});
