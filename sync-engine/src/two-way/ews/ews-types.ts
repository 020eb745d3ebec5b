/**
 * EWS items as plain objects, with the element names of Types.xsd (Exchange Web Services schema) as keys, so the
 * adapter can copy them to and from ews-javascript-api property by property. Lists that the schema wraps in an
 * ArrayOf…Type element (RequiredAttendees/Attendee, EmailAddresses/Entry…) are plain arrays here.
 */

/** ItemIdType: Id and ChangeKey. */
export interface EwsItemId {
  readonly Id: string;
  readonly ChangeKey: string;
}

/** EmailAddressType (Mailbox). */
export interface EwsMailbox {
  readonly Name?: string | null;
  readonly EmailAddress: string;
}

/** AttendeeType. */
export interface EwsAttendee {
  readonly Mailbox: EwsMailbox;
}

/** BodyType; the adapter asks for BodyType Text (ItemResponseShape) so bodies compare as text. */
export interface EwsBody {
  readonly BodyType: 'Text' | 'HTML';
  readonly Value: string;
}

/** DayOfWeekType; Day, Weekday and WeekendDay only in relative patterns. */
export type EwsDayOfWeek = 'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Day' | 'Weekday' | 'WeekendDay';
/** DayOfWeekIndexType. */
export type EwsDayOfWeekIndex = 'First' | 'Second' | 'Third' | 'Fourth' | 'Last';
/** MonthNamesType. */
export type EwsMonth = 'January' | 'February' | 'March' | 'April' | 'May' | 'June' | 'July' | 'August' | 'September' | 'October' | 'November' | 'December';

/**
 * RecurrenceType: exactly one pattern element and one range element. WeeklyRecurrence's DaysOfWeek is
 * DaysOfWeekType, a space-separated list ("Monday Wednesday"). StartDate/EndDate are xs:date, possibly with an
 * offset ("2026-03-02+01:00"); they are local dates of the series' time zone.
 */
export interface EwsRecurrence {
  readonly DailyRecurrence?: { readonly Interval: number };
  readonly WeeklyRecurrence?: { readonly Interval: number; readonly DaysOfWeek: string; readonly FirstDayOfWeek?: EwsDayOfWeek };
  readonly AbsoluteMonthlyRecurrence?: { readonly Interval: number; readonly DayOfMonth: number };
  readonly RelativeMonthlyRecurrence?: { readonly Interval: number; readonly DaysOfWeek: EwsDayOfWeek; readonly DayOfWeekIndex: EwsDayOfWeekIndex };
  readonly AbsoluteYearlyRecurrence?: { readonly DayOfMonth: number; readonly Month: EwsMonth };
  readonly RelativeYearlyRecurrence?: { readonly DaysOfWeek: EwsDayOfWeek; readonly DayOfWeekIndex: EwsDayOfWeekIndex; readonly Month: EwsMonth };
  readonly NoEndRecurrence?: { readonly StartDate: string };
  readonly EndDateRecurrence?: { readonly StartDate: string; readonly EndDate: string };
  readonly NumberedRecurrence?: { readonly StartDate: string; readonly NumberOfOccurrences: number };
}

/** OccurrenceInfoType (ModifiedOccurrences/Occurrence). On write, ItemId is absent: the adapter finds the occurrence by OriginalStart. */
export interface EwsOccurrenceInfo {
  readonly ItemId?: EwsItemId;
  readonly Start: string;
  readonly End: string;
  readonly OriginalStart: string;
  /** Not in OccurrenceInfoType: on write, what the adapter's UpdateItem on that occurrence sets (absent: the series'). */
  readonly Subject?: string;
  readonly Location?: string;
}

/** DeletedOccurrenceInfoType. */
export interface EwsDeletedOccurrence {
  readonly Start: string;
}

/** The CalendarItemType properties the sync reads and writes. */
export interface EwsCalendarItem {
  readonly ItemId?: EwsItemId;
  readonly LastModifiedTime?: string;
  readonly Categories?: readonly string[];
  readonly Subject?: string | null;
  readonly Body?: EwsBody | null;
  readonly UID?: string | null;
  readonly Start: string;
  readonly End: string;
  readonly IsAllDayEvent?: boolean;
  readonly Location?: string | null;
  readonly IsCancelled?: boolean;
  readonly CalendarItemType?: 'Single' | 'Occurrence' | 'Exception' | 'RecurringMaster';
  readonly Organizer?: { readonly Mailbox: EwsMailbox } | null;
  readonly RequiredAttendees?: readonly EwsAttendee[];
  readonly OptionalAttendees?: readonly EwsAttendee[];
  readonly Recurrence?: EwsRecurrence | null;
  readonly ModifiedOccurrences?: readonly EwsOccurrenceInfo[];
  readonly DeletedOccurrences?: readonly EwsDeletedOccurrence[];
  /** TimeZoneDefinitionType, by its Id attribute (a Windows time zone id). */
  readonly StartTimeZone?: { readonly Id: string } | null;
  readonly EndTimeZone?: { readonly Id: string } | null;
}

/** TaskStatusType. */
export type EwsTaskStatus = 'NotStarted' | 'InProgress' | 'Completed' | 'WaitingOnOthers' | 'Deferred';
/** ImportanceChoicesType. */
export type EwsImportance = 'Low' | 'Normal' | 'High';

/** The TaskType properties the sync reads and writes. DueDate and StartDate are xs:dateTime at local midnight. */
export interface EwsTask {
  readonly ItemId?: EwsItemId;
  readonly LastModifiedTime?: string;
  readonly Categories?: readonly string[];
  readonly Subject?: string | null;
  readonly Body?: EwsBody | null;
  readonly DueDate?: string | null;
  readonly StartDate?: string | null;
  readonly Status?: EwsTaskStatus;
  readonly PercentComplete?: number;
  readonly Importance?: EwsImportance;
}

/** EmailAddressKeyType. */
export type EwsEmailKey = 'EmailAddress1' | 'EmailAddress2' | 'EmailAddress3';
/** PhoneNumberKeyType (the two the CRM holds; others are kept out of the sync). */
export type EwsPhoneKey = 'BusinessPhone' | 'MobilePhone' | (string & {});
/** PhysicalAddressKeyType. */
export type EwsAddressKey = 'Business' | 'Home' | 'Other';

/** PhysicalAddressDictionaryEntryType. */
export interface EwsPhysicalAddress {
  readonly Key: EwsAddressKey;
  readonly Street?: string | null;
  readonly City?: string | null;
  readonly State?: string | null;
  readonly CountryOrRegion?: string | null;
  readonly PostalCode?: string | null;
}

/** The ContactItemType properties the sync reads and writes. */
export interface EwsContact {
  readonly ItemId?: EwsItemId;
  readonly LastModifiedTime?: string;
  readonly Categories?: readonly string[];
  readonly GivenName?: string | null;
  readonly Surname?: string | null;
  readonly CompanyName?: string | null;
  readonly JobTitle?: string | null;
  readonly EmailAddresses?: readonly { readonly Key: EwsEmailKey; readonly Value: string }[];
  readonly PhoneNumbers?: readonly { readonly Key: EwsPhoneKey; readonly Value: string }[];
  readonly PhysicalAddresses?: readonly EwsPhysicalAddress[];
}

/**
 * The category that marks an Outlook item for the CRM, as Dynamics' "Tracked to Dynamics 365": the user sets it in
 * any Outlook; the mapping reports it as markedForSync. The integrator may make it configurable.
 */
export const DEFAULT_TRACKING_CATEGORY = 'Tracked to CRM';
