import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { ActivityState } from './activity-enums';
import type { Activity } from './activity.entity';
import { CreateAppointmentInput, CreateTaskInput, LogPhoneCallInput, UpdateAppointmentInput, UpdateTaskInput } from './activity.inputs';
import { ActivityInterface, AppointmentView, PhoneCallView, TaskView } from './activity.types';

/** Activities people make by hand, and changes to any activity's regarding record and state. */
@Resolver()
export class ActivityResolver {
  @Mutation(() => PhoneCallView, { description: 'Records a phone call that took place (completed).' })
  logPhoneCall(@Arg('input') input: LogPhoneCallInput, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.activities.logPhoneCall(principalOf(ctx), input);
  }

  @Mutation(() => TaskView)
  createTask(@Arg('input') input: CreateTaskInput, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.activities.createTask(principalOf(ctx), input);
  }

  @Mutation(() => AppointmentView)
  createAppointment(@Arg('input') input: CreateAppointmentInput, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.activities.createAppointment(principalOf(ctx), input);
  }

  @Mutation(() => TaskView, { description: 'Changes a task you may change; with the owner\'s mailbox syncing tasks with Exchange, the Outlook task follows.' })
  updateTask(@Arg('activityId', () => ID) activityId: string, @Arg('input') input: UpdateTaskInput, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.activities.updateTask(principalOf(ctx), activityId, input);
  }

  @Mutation(() => AppointmentView, { description: 'Moves, renames or re-places an appointment you may change; an appointment made in the CRM follows in the owner\'s Exchange Calendar.' })
  updateAppointment(@Arg('activityId', () => ID) activityId: string, @Arg('input') input: UpdateAppointmentInput, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.activities.updateAppointment(principalOf(ctx), activityId, input);
  }

  @Mutation(() => ActivityInterface, { description: 'Sets what an activity is regarding, or clears it with null; it moves between record timelines accordingly.' })
  setActivityRegarding(
    @Arg('activityId', () => ID) activityId: string,
    @Arg('regardingId', () => ID, { nullable: true }) regardingId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Activity> {
    return ctx.services.activities.setRegarding(principalOf(ctx), activityId, regardingId ?? null);
  }

  @Mutation(() => ActivityInterface, { description: 'Opens, completes or cancels a phone call, task or appointment (not an email).' })
  setActivityState(
    @Arg('activityId', () => ID) activityId: string,
    @Arg('state', () => ActivityState) state: ActivityState,
    @Ctx() ctx: RequestContext,
  ): Promise<Activity> {
    return ctx.services.activities.setState(principalOf(ctx), activityId, state);
  }
}
