import { Privilege } from '../access/privileges';
import type { GlobalType } from '../common/global-id';
import { principalOf, type RequestContext } from '../graphql/context';
import { mayOnActivity } from './activity-access';
import { visibleAs } from './activity-fields.resolver';
import { showsContent } from './activity-privacy';
import { attachmentView } from './activity-views.resolver';
import type { AttachmentView } from './activity.types';
import { Attachment } from './attachment.entity';
import { ACTIVITY_TYPE_NAME, type Activity } from './activity.entity';

/** An activity by the type and raw id of its global id, if it is of that type and the caller may read it. */
export async function readableActivity(ctx: RequestContext, type: GlobalType, id: string): Promise<Activity | null> {
  const activity = await ctx.loaders.activity.activities.load(id);
  if (!activity || ACTIVITY_TYPE_NAME[activity.kind] !== type) return null;
  return mayOnActivity(principalOf(ctx), Privilege.READ, activity) ? activity : null;
}

/** An attachment, if the caller may read its email and sees that email whole (privacy). */
export async function readableAttachment(ctx: RequestContext, id: string): Promise<AttachmentView | null> {
  const attachment = await ctx.services.db.getRepository(Attachment).findOneBy({ id });
  if (!attachment) return null;
  const activity = await ctx.loaders.activity.activities.load(attachment.activityId);
  if (!activity || !mayOnActivity(principalOf(ctx), Privilege.READ, activity)) return null;
  return showsContent(await visibleAs(ctx, activity)) ? attachmentView(attachment) : null;
}
