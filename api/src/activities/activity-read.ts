import { Privilege } from '../access/privileges';
import type { GlobalType } from '../common/global-id';
import { principalOf, type RequestContext } from '../graphql/context';
import { mayOnActivity } from './activity-access';
import { ACTIVITY_TYPE_NAME, type Activity } from './activity.entity';

/** An activity by the type and raw id of its global id, if it is of that type and the caller may read it. */
export async function readableActivity(ctx: RequestContext, type: GlobalType, id: string): Promise<Activity | null> {
  const activity = await ctx.loaders.activity.activities.load(id);
  if (!activity || ACTIVITY_TYPE_NAME[activity.kind] !== type) return null;
  return mayOnActivity(principalOf(ctx), Privilege.READ, activity) ? activity : null;
}
