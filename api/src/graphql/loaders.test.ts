import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { BodyReader } from '../activities/activity-loaders';
import { createActivityLoaders } from '../activities/activity-loaders';
import { createRoleLoaders } from '../access/role-loaders';
import { createIdentityLoaders } from '../identity/identity-loaders';
import type { IdentityService } from '../identity/identity.service';
import { createMailboxLoaders } from '../mail/mailbox-loaders';
import type { MailboxService } from '../mail/mailbox.service';
import { createRecordLoaders } from '../records/record-loaders';
import type { RecordStores } from '../records/record-writer';
import { createLoaders } from './loaders';

// Making loaders reads nothing: only their batch functions use these, and none runs here.
const db = {} as DataSource;
const make = () => createLoaders(db, {} as RecordStores, {} as IdentityService, {} as BodyReader, {} as MailboxService, undefined);

describe('createLoaders', () => {
  it('offers every loader of every domain under its name, the same one for the whole request', () => {
    const names = [
      ...Object.keys(createIdentityLoaders(db, {} as IdentityService)),
      ...Object.keys(createRoleLoaders(db)),
      ...Object.keys(createRecordLoaders(db, {} as RecordStores, undefined)),
      ...Object.keys(createMailboxLoaders(db, {} as MailboxService)),
    ];
    expect(names.length).toBeGreaterThan(10);
    for (const loaders of [make(), make()]) {
      for (const name of names) {
        const loader = (loaders as unknown as Record<string, unknown>)[name];
        expect(loader, name).toBeTruthy();
        expect((loaders as unknown as Record<string, unknown>)[name], name).toBe(loader);
      }
      expect(Object.keys(loaders.activity).sort()).toEqual(Object.keys(createActivityLoaders(db, {} as BodyReader)).sort());
      expect(loaders.activity.parties).toBeInstanceOf(DataLoader);
      expect(loaders.activity).toBe(loaders.activity);
    }
  });

  it('gives each request loaders of its own, so nothing cached in one is seen by another', async () => {
    const [a, b] = [make(), make()];
    expect(a.users).not.toBe(b.users);
    expect(a.activity.parties).not.toBe(b.activity.parties);
    a.activity.bodies.prime('h1', 'text of one request');
    expect(await a.activity.bodies.load('h1')).toBe('text of one request');
    // b's loader would have to run its batch function (which needs a database) to answer: it has nothing primed.
    await expect(b.activity.bodies.load('h1')).rejects.toThrow();
  });
});
