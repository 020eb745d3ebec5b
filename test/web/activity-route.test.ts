import { describe, expect, it } from 'vitest';
import { activityHref, parseRoute } from '../../web/src/shell/hash-route.svelte';

describe('activity route', () => {
  it('reads #/activities/<id>, whose id round-trips', () => {
    const id = 'RW1haWw6MTIz/+=';
    expect(parseRoute(activityHref(id))).toEqual({ name: 'activity', id });
    expect(parseRoute('#/activities/%E0%A4%A').name).toBe('not-found');
  });
});
