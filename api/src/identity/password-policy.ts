import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { badInput } from '../common/errors';

export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

// @zxcvbn-ts/language-common ships a ranked list of ~49,000 passwords seen in breaches; zxcvbn also
// finds them inside longer passwords (with l33t, repeats, keyboard walks and the user's own name).
zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
const BREACHED = new Set(common.dictionary.passwords.map((p) => p.toLowerCase()));

/** zxcvbn's 0–4 scale; 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
const MIN_SCORE = 3;

/** Why `password` may not be used, as a sentence, or undefined when it is acceptable. `personal`: the user's email, name… */
export function passwordProblem(password: string, personal: readonly string[] = []): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min) return `A password needs at least ${PASSWORD_LENGTH.min} characters.`;
  if (length > PASSWORD_LENGTH.max) return `A password may have at most ${PASSWORD_LENGTH.max} characters.`;
  if (BREACHED.has(password.toLowerCase())) return 'This password appears in lists of breached passwords, so attackers try it first. Choose another.';
  const words = personal.flatMap((text) => [text, ...text.toLowerCase().split(/[^\p{L}\p{N}]+/u)]).filter((w) => w.length >= 3);
  if (zxcvbn(password, words).score < MIN_SCORE) {
    return 'This password is too easy to guess: it is built from common passwords, words, names or patterns. Choose a longer, less predictable one.';
  }
  return undefined;
}

/** Throws BAD_USER_INPUT naming `field` when the password breaks the policy. */
export function checkPassword(field: string, password: string, personal: readonly string[] = []): void {
  const problem = passwordProblem(password, personal);
  if (problem) throw badInput(field, problem);
}
