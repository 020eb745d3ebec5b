/** "First Last", or just the last name: what lists show, sort and search on. */
export const fullNameOf = (firstName: string | null | undefined, lastName: string): string =>
  [firstName?.trim(), lastName.trim()].filter(Boolean).join(' ');
