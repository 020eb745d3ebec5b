import { DOMParser } from '@xmldom/xmldom';
import { ADDRESSING_NS, AUTODISCOVER_NS, MESSAGES_NS, SOAP_NS, TYPES_NS } from './ews-xml';

// The structure Microsoft's EWS schema (Messages.xsd, Types.xsd) gives the response elements the EWS test server
// writes, written down by hand for the operations it answers: each element's children in schema order (a child
// may be left out unless marked required), and the attributes it must carry. `checkEwsDocument` walks a response
// and names every place it leaves that structure.

interface Shape {
  /** Child elements in schema order: "m:Name" or "t:Name"; a trailing "!" marks a required one. */
  readonly children?: readonly string[];
  readonly attributes?: readonly string[];
  /** Children repeat in any order (xs:choice maxOccurs="unbounded"). */
  readonly anyOrder?: boolean;
  /** Text only. */
  readonly text?: boolean;
}

const RESPONSE_MESSAGE = ['m:MessageText', 'm:ResponseCode!', 'm:DescriptiveLinkKey', 'm:MessageXml'];
const responseMessage = (...own: string[]): Shape => ({ attributes: ['ResponseClass'], children: [...RESPONSE_MESSAGE, ...own] });
const RESPONSE: Shape = { children: ['m:ResponseMessages!'] };
const ID = { attributes: ['Id'] };

/** Types.xsd ItemType's elements, in order: every item type (CalendarItemType, TaskType, ContactItemType) extends it. */
const ITEM_TYPE = [
      't:MimeContent', 't:ItemId', 't:ParentFolderId', 't:ItemClass', 't:Subject', 't:Sensitivity', 't:Body', 't:Attachments', 't:DateTimeReceived', 't:Size',
      't:Categories', 't:Importance', 't:InReplyTo', 't:IsSubmitted', 't:IsDraft', 't:IsFromMe', 't:IsResend', 't:IsUnmodified', 't:InternetMessageHeaders',
      't:DateTimeSent', 't:DateTimeCreated', 't:ResponseObjects', 't:ReminderDueBy', 't:ReminderIsSet', 't:ReminderNextTime', 't:ReminderMinutesBeforeStart', 't:DisplayCc', 't:DisplayTo',
      't:HasAttachments', 't:ExtendedProperty', 't:Culture', 't:EffectiveRights', 't:LastModifiedName', 't:LastModifiedTime', 't:IsAssociated', 't:WebClientReadFormQueryString',
      't:WebClientEditFormQueryString', 't:ConversationId', 't:UniqueBody',
];

const SHAPES: Readonly<Record<string, Shape>> = {
  's:Envelope': { children: ['s:Header', 's:Body!'] },
  // An Autodiscover answer's header (MS-OXWSADISC) carries the WS-Addressing Action, then its own ServerVersionInfo.
  's:Header': { children: ['wsa:Action', 't:ServerVersionInfo', 'ad:ServerVersionInfo'] },
  't:ServerVersionInfo': { attributes: ['MajorVersion', 'MinorVersion', 'MajorBuildNumber', 'MinorBuildNumber'] },
  's:Body': { anyOrder: true, children: ['m:GetFolderResponse', 'm:FindFolderResponse', 'm:SyncFolderHierarchyResponse', 'm:SyncFolderItemsResponse', 'm:GetItemResponse', 'm:FindItemResponse', 'm:CreateItemResponse', 'm:DeleteItemResponse', 'm:UpdateItemResponse', 'm:SubscribeResponse', 'm:GetEventsResponse', 'm:GetStreamingEventsResponse', 'm:UnsubscribeResponse', 'm:GetUserConfigurationResponse', 'ad:GetUserSettingsResponseMessage', 's:Fault'] },
  's:Fault': { children: ['faultcode!', 'faultstring!', 'faultactor', 'detail'] },

  'm:GetFolderResponse': RESPONSE,
  'm:FindFolderResponse': RESPONSE,
  'm:SyncFolderHierarchyResponse': RESPONSE,
  'm:SyncFolderItemsResponse': RESPONSE,
  'm:GetItemResponse': RESPONSE,
  'm:FindItemResponse': RESPONSE,
  'm:CreateItemResponse': RESPONSE,
  'm:DeleteItemResponse': RESPONSE,
  'm:UpdateItemResponse': RESPONSE,
  'm:SubscribeResponse': RESPONSE,
  'm:GetEventsResponse': RESPONSE,
  'm:GetStreamingEventsResponse': RESPONSE,
  'm:UnsubscribeResponse': RESPONSE,
  'm:GetUserConfigurationResponse': RESPONSE,
  'm:ResponseMessages': {
    anyOrder: true,
    children: ['m:GetFolderResponseMessage', 'm:FindFolderResponseMessage', 'm:SyncFolderHierarchyResponseMessage', 'm:SyncFolderItemsResponseMessage', 'm:GetItemResponseMessage', 'm:FindItemResponseMessage', 'm:CreateItemResponseMessage', 'm:DeleteItemResponseMessage', 'm:UpdateItemResponseMessage', 'm:SubscribeResponseMessage', 'm:GetEventsResponseMessage', 'm:GetStreamingEventsResponseMessage', 'm:UnsubscribeResponseMessage', 'm:GetUserConfigurationResponseMessage'],
  },

  // Messages.xsd FolderInfoResponseMessageType, FindFolderResponseMessageType, SyncFolderItemsResponseMessageType, ...
  'm:GetFolderResponseMessage': responseMessage('m:Folders'),
  'm:FindFolderResponseMessage': responseMessage('m:RootFolder'),
  'm:SyncFolderHierarchyResponseMessage': responseMessage('m:SyncState', 'm:IncludesLastFolderInRange', 'm:Changes'),
  'm:SyncFolderItemsResponseMessage': responseMessage('m:SyncState', 'm:IncludesLastItemInRange', 'm:Changes'),
  'm:GetItemResponseMessage': responseMessage('m:Items'),
  'm:FindItemResponseMessage': responseMessage('m:RootFolder'),
  'm:CreateItemResponseMessage': responseMessage('m:Items'),
  'm:DeleteItemResponseMessage': responseMessage(),
  // Messages.xsd UpdateItemResponseMessageType: ItemInfoResponseMessageType's Items, then ConflictResults (Types.xsd ConflictResultsType).
  'm:UpdateItemResponseMessage': responseMessage('m:Items', 'm:ConflictResults'),
  'm:ConflictResults': { children: ['t:Count!'] },
  't:Count': { text: true },
  'm:SubscribeResponseMessage': responseMessage('m:SubscriptionId', 'm:Watermark'),
  'm:GetEventsResponseMessage': responseMessage('m:Notification'),
  // Messages.xsd GetStreamingEventsResponseMessageType: Notifications (NonEmptyArrayOfNotificationsType), ErrorSubscriptionIds, ConnectionStatus (Types.xsd ConnectionStatusType: OK, Closed).
  'm:GetStreamingEventsResponseMessage': responseMessage('m:Notifications', 'm:ErrorSubscriptionIds', 'm:ConnectionStatus'),
  'm:Notifications': { children: ['m:Notification!'] },
  'm:ErrorSubscriptionIds': { children: ['m:SubscriptionId!'] },
  'm:ConnectionStatus': { text: true },
  'm:UnsubscribeResponseMessage': responseMessage(),
  // Messages.xsd GetUserConfigurationResponseMessageType: the configuration (Types.xsd UserConfigurationType), absent on an error.
  'm:GetUserConfigurationResponseMessage': responseMessage('m:UserConfiguration'),
  'm:UserConfiguration': { children: ['t:UserConfigurationName!', 't:ItemId', 't:Dictionary', 't:XmlData', 't:BinaryData'] },
  // Types.xsd UserConfigurationNameType: TargetFolderIdType (a choice of FolderId and DistinguishedFolderId) and the Name.
  't:UserConfigurationName': { attributes: ['Name'], children: ['t:FolderId', 't:DistinguishedFolderId'] },
  't:DistinguishedFolderId': { attributes: ['Id'], children: ['t:Mailbox'] },
  // Types.xsd UserConfigurationDictionaryType, UserConfigurationDictionaryEntryType, UserConfigurationDictionaryObjectType.
  't:Dictionary': { children: ['t:DictionaryEntry!'] },
  't:DictionaryEntry': { children: ['t:DictionaryKey!', 't:DictionaryValue!'] },
  't:DictionaryKey': { children: ['t:Type!', 't:Value!'] },
  't:DictionaryValue': { children: ['t:Type!', 't:Value!'] },
  't:Type': { text: true },
  't:XmlData': { text: true },
  't:BinaryData': { text: true },
  'm:MessageText': { text: true },
  'm:ResponseCode': { text: true },
  'm:DescriptiveLinkKey': { text: true },
  'm:SyncState': { text: true },
  'm:IncludesLastItemInRange': { text: true },
  'm:IncludesLastFolderInRange': { text: true },
  'm:SubscriptionId': { text: true },
  'm:Watermark': { text: true },

  'm:Folders': { anyOrder: true, children: ['t:Folder', 't:CalendarFolder', 't:ContactsFolder', 't:SearchFolder', 't:TasksFolder'] },
  'm:Items': { anyOrder: true, children: ['t:Item', 't:Message', 't:CalendarItem', 't:Contact', 't:Task'] },
  // Types.xsd FindFolderParentType / FindItemParentType: paging attributes, then the folders or items.
  // IndexedPagingOffset only for an indexed view: a CalendarView's answer has none.
  'm:RootFolder': { attributes: ['TotalItemsInView', 'IncludesLastItemInRange'], anyOrder: true, children: ['t:Folders', 't:Items'] },
  't:Folders': { anyOrder: true, children: ['t:Folder', 't:CalendarFolder', 't:ContactsFolder', 't:SearchFolder', 't:TasksFolder'] },
  't:Items': { anyOrder: true, children: ['t:Item', 't:Message', 't:CalendarItem', 't:Contact', 't:Task'] },
  // Types.xsd SyncFolderItemsChangesType: a choice of Create, Update, Delete, ReadFlagChange.
  'm:Changes': { anyOrder: true, children: ['t:Create', 't:Update', 't:Delete', 't:ReadFlagChange'] },
  't:Create': { anyOrder: true, children: ['t:Item', 't:Message', 't:CalendarItem', 't:Contact', 't:Task'] },
  't:Update': { anyOrder: true, children: ['t:Item', 't:Message', 't:CalendarItem', 't:Contact', 't:Task'] },
  't:Delete': { children: ['t:ItemId!'] },

  // Types.xsd BaseFolderType then FolderType.
  't:Folder': { children: ['t:FolderId', 't:ParentFolderId', 't:FolderClass', 't:DisplayName', 't:TotalCount', 't:ChildFolderCount', 't:ExtendedProperty', 't:ManagedFolderInformation', 't:EffectiveRights', 't:PermissionSet', 't:UnreadCount'] },
  't:FolderId': { attributes: ['Id'] },
  't:ParentFolderId': ID,
  't:FolderClass': { text: true },
  't:DisplayName': { text: true },
  't:TotalCount': { text: true },
  't:ChildFolderCount': { text: true },

  // Types.xsd ItemType then MessageType (the elements the server writes, in their schema positions).
  't:Message': {
    children: [
      't:MimeContent', 't:ItemId', 't:ParentFolderId', 't:ItemClass', 't:Subject', 't:Sensitivity', 't:Body', 't:Attachments', 't:DateTimeReceived', 't:Size',
      't:Categories', 't:Importance', 't:InReplyTo', 't:IsSubmitted', 't:IsDraft', 't:IsFromMe', 't:IsResend', 't:IsUnmodified', 't:InternetMessageHeaders',
      't:DateTimeSent', 't:DateTimeCreated', 't:ResponseObjects', 't:ReminderDueBy', 't:ReminderIsSet', 't:ReminderMinutesBeforeStart', 't:DisplayCc', 't:DisplayTo',
      't:HasAttachments', 't:ExtendedProperty', 't:Culture', 't:EffectiveRights', 't:LastModifiedName', 't:LastModifiedTime', 't:IsAssociated', 't:WebClientReadFormQueryString',
      't:WebClientEditFormQueryString', 't:ConversationId', 't:UniqueBody', 't:Sender', 't:ToRecipients', 't:CcRecipients', 't:BccRecipients', 't:IsReadReceiptRequested',
      't:IsDeliveryReceiptRequested', 't:ConversationIndex', 't:ConversationTopic', 't:From', 't:InternetMessageId', 't:IsRead', 't:IsResponseRequested', 't:References',
    ],
  },
  't:MimeContent': { text: true },
  't:ItemId': { attributes: ['Id'] },
  't:Subject': { text: true },
  't:DateTimeReceived': { text: true },
  't:Size': { text: true },
  't:InternetMessageId': { text: true },

  // Types.xsd ItemType then CalendarItemType (the elements the server writes, in their schema positions).
  't:CalendarItem': {
    children: [
      ...ITEM_TYPE,
      't:UID', 't:RecurrenceId', 't:DateTimeStamp', 't:Start', 't:End', 't:OriginalStart', 't:IsAllDayEvent', 't:LegacyFreeBusyStatus', 't:Location', 't:When',
      't:IsMeeting', 't:IsCancelled', 't:IsRecurring', 't:MeetingRequestWasSent', 't:IsResponseRequested', 't:CalendarItemType', 't:MyResponseType', 't:Organizer',
      't:RequiredAttendees', 't:OptionalAttendees', 't:Resources', 't:ConflictingMeetingCount', 't:AdjacentMeetingCount', 't:ConflictingMeetings', 't:AdjacentMeetings',
      't:Duration', 't:TimeZone', 't:AppointmentReplyTime', 't:AppointmentSequenceNumber', 't:AppointmentState', 't:Recurrence', 't:FirstOccurrence',
      't:LastOccurrence', 't:ModifiedOccurrences', 't:DeletedOccurrences', 't:MeetingTimeZone', 't:StartTimeZone', 't:EndTimeZone',
    ],
  },
  't:RecurrenceId': { text: true },
  't:OriginalStart': { text: true },
  // Types.xsd RecurrenceType: one of RecurrencePatternTypes, then one of RecurrenceRangeTypes (each an xs:choice).
  't:Recurrence': {
    children: [
      't:RelativeYearlyRecurrence', 't:AbsoluteYearlyRecurrence', 't:RelativeMonthlyRecurrence', 't:AbsoluteMonthlyRecurrence', 't:WeeklyRecurrence', 't:DailyRecurrence',
      't:NoEndRecurrence', 't:EndDateRecurrence', 't:NumberedRecurrence',
    ],
  },
  't:RelativeYearlyRecurrence': { children: ['t:DaysOfWeek!', 't:DayOfWeekIndex!', 't:Month!'] },
  't:AbsoluteYearlyRecurrence': { children: ['t:DayOfMonth!', 't:Month!'] },
  't:RelativeMonthlyRecurrence': { children: ['t:Interval!', 't:DaysOfWeek!', 't:DayOfWeekIndex!'] },
  't:AbsoluteMonthlyRecurrence': { children: ['t:Interval!', 't:DayOfMonth!'] },
  't:WeeklyRecurrence': { children: ['t:Interval!', 't:DaysOfWeek!', 't:FirstDayOfWeek'] },
  't:DailyRecurrence': { children: ['t:Interval!'] },
  't:NoEndRecurrence': { children: ['t:StartDate!'] },
  't:EndDateRecurrence': { children: ['t:StartDate!', 't:EndDate!'] },
  't:NumberedRecurrence': { children: ['t:StartDate!', 't:NumberOfOccurrences!'] },
  't:Interval': { text: true },
  't:DaysOfWeek': { text: true },
  't:DayOfWeekIndex': { text: true },
  't:DayOfMonth': { text: true },
  't:Month': { text: true },
  't:FirstDayOfWeek': { text: true },
  't:StartDate': { text: true },
  't:EndDate': { text: true },
  't:NumberOfOccurrences': { text: true },
  // Types.xsd OccurrenceInfoType, NonEmptyArrayOfOccurrenceInfoType, NonEmptyArrayOfDeletedOccurrencesType, DeletedOccurrenceInfoType.
  't:FirstOccurrence': { children: ['t:ItemId!', 't:Start!', 't:End!', 't:OriginalStart!'] },
  't:LastOccurrence': { children: ['t:ItemId!', 't:Start!', 't:End!', 't:OriginalStart!'] },
  't:Occurrence': { children: ['t:ItemId!', 't:Start!', 't:End!', 't:OriginalStart!'] },
  't:ModifiedOccurrences': { children: ['t:Occurrence!'] },
  't:DeletedOccurrences': { children: ['t:DeletedOccurrence!'] },
  't:DeletedOccurrence': { children: ['t:Start!'] },
  // Types.xsd TimeZoneDefinitionType: Id and Name, then Periods, TransitionsGroups, Transitions (all optional).
  't:StartTimeZone': { attributes: ['Id'], children: ['t:Periods', 't:TransitionsGroups', 't:Transitions'] },
  't:Periods': { children: ['t:Period!'] },
  't:Period': { attributes: ['Bias', 'Name', 'Id'] },
  't:TransitionsGroups': { children: ['t:TransitionsGroup!'] },
  // Types.xsd ArrayOfTransitionsType: Transition, AbsoluteDateTransition, RecurringDayTransition, RecurringDateTransition in any order.
  't:TransitionsGroup': { attributes: ['Id'], anyOrder: true, children: ['t:Transition', 't:AbsoluteDateTransition', 't:RecurringDayTransition', 't:RecurringDateTransition'] },
  't:Transitions': { anyOrder: true, children: ['t:Transition', 't:AbsoluteDateTransition', 't:RecurringDayTransition', 't:RecurringDateTransition'] },
  't:Transition': { children: ['t:To!'] },
  't:RecurringDayTransition': { children: ['t:To!', 't:TimeOffset!', 't:Month!', 't:DayOfWeek!', 't:Occurrence!'] },
  't:To': { attributes: ['Kind'], text: true },
  't:TimeOffset': { text: true },
  't:DayOfWeek': { text: true },
  't:ItemClass': { text: true },
  't:Sensitivity': { text: true },
  't:LastModifiedTime': { text: true },
  't:UID': { text: true },
  't:Start': { text: true },
  't:End': { text: true },
  't:IsAllDayEvent': { text: true },
  't:Location': { text: true },
  't:IsMeeting': { text: true },
  't:IsCancelled': { text: true },
  't:IsRecurring': { text: true },
  't:MeetingRequestWasSent': { text: true },
  't:CalendarItemType': { text: true },
  // Types.xsd ResponseTypeType: Unknown, Organizer, Tentative, Accept, Decline, NoResponseReceived.
  't:MyResponseType': { text: true },
  't:AppointmentSequenceNumber': { text: true },
  // Types.xsd SingleRecipientType, EmailAddressType, NonEmptyArrayOfAttendeesType, AttendeeType.
  't:Organizer': { children: ['t:Mailbox!'] },
  't:Mailbox': { children: ['t:Name', 't:EmailAddress', 't:RoutingType', 't:MailboxType', 't:ItemId', 't:OriginalDisplayName'] },
  't:Name': { text: true },
  't:EmailAddress': { text: true },
  't:RoutingType': { text: true },
  't:MailboxType': { text: true },
  't:RequiredAttendees': { anyOrder: true, children: ['t:Attendee'] },
  't:OptionalAttendees': { anyOrder: true, children: ['t:Attendee'] },
  't:Attendee': { children: ['t:Mailbox!', 't:ResponseType', 't:LastResponseTime', 't:ProposedStart', 't:ProposedEnd'] },
  't:ResponseType': { text: true },

  // Types.xsd ItemType then TaskType (the elements the server writes, in their schema positions).
  't:Task': {
    children: [
      ...ITEM_TYPE,
      't:ActualWork', 't:AssignedTime', 't:BillingInformation', 't:ChangeCount', 't:Companies', 't:CompleteDate', 't:Contacts', 't:DelegationState', 't:Delegator',
      't:DueDate', 't:IsAssignmentEditable', 't:IsComplete', 't:IsRecurring', 't:IsTeamTask', 't:Mileage', 't:Owner', 't:PercentComplete', 't:Recurrence',
      't:StartDate', 't:Status', 't:StatusDescription', 't:TotalWork',
    ],
  },
  // Types.xsd BodyType: text with its BodyType attribute; ArrayOfStringsType; ImportanceChoicesType.
  't:Body': { text: true, attributes: ['BodyType'] },
  't:Categories': { anyOrder: true, children: ['t:String'] },
  't:String': { text: true },
  't:Importance': { text: true },
  // Types.xsd ExtendedPropertyType: ExtendedFieldURI, then Value or Values.
  't:ExtendedProperty': { children: ['t:ExtendedFieldURI!', 't:Value', 't:Values'] },
  't:ExtendedFieldURI': { attributes: ['PropertyType'] },
  't:Value': { text: true },
  't:DueDate': { text: true },
  't:IsComplete': { text: true },
  't:PercentComplete': { text: true },
  't:StartDate': { text: true },
  't:Status': { text: true },

  // Types.xsd ItemType then ContactItemType (the elements the server writes, in their schema positions).
  't:Contact': {
    children: [
      ...ITEM_TYPE,
      't:FileAs', 't:FileAsMapping', 't:DisplayName', 't:GivenName', 't:Initials', 't:MiddleName', 't:Nickname', 't:CompleteName', 't:CompanyName', 't:EmailAddresses',
      't:PhysicalAddresses', 't:PhoneNumbers', 't:AssistantName', 't:Birthday', 't:BusinessHomePage', 't:Children', 't:Companies', 't:ContactSource', 't:Department',
      't:Generation', 't:ImAddresses', 't:JobTitle', 't:Manager', 't:Mileage', 't:OfficeLocation', 't:PostalAddressIndex', 't:Profession', 't:SpouseName', 't:Surname',
      't:WeddingAnniversary',
    ],
  },
  't:GivenName': { text: true },
  't:CompanyName': { text: true },
  't:JobTitle': { text: true },
  't:Surname': { text: true },
  // Types.xsd EmailAddressDictionaryType / PhoneNumberDictionaryType: entries keyed by their Key attribute.
  't:EmailAddresses': { anyOrder: true, children: ['t:Entry'] },
  't:PhoneNumbers': { anyOrder: true, children: ['t:Entry'] },
  't:Entry': { text: true, attributes: ['Key'] },

  // Types.xsd NotificationType: SubscriptionId, PreviousWatermark, MoreEvents, then a choice of events.
  'm:Notification': { children: ['t:SubscriptionId!', 't:PreviousWatermark', 't:MoreEvents', 't:Events*'] },
  't:SubscriptionId': { text: true },
  't:PreviousWatermark': { text: true },
  't:MoreEvents': { text: true },
  't:StatusEvent': { children: ['t:Watermark!'] },
  't:NewMailEvent': { children: ['t:Watermark!', 't:TimeStamp!', 't:ItemId', 't:FolderId', 't:ParentFolderId!', 't:OldParentFolderId'] },
  't:CreatedEvent': { children: ['t:Watermark!', 't:TimeStamp!', 't:ItemId', 't:FolderId', 't:ParentFolderId!'] },
  't:ModifiedEvent': { children: ['t:Watermark!', 't:TimeStamp!', 't:ItemId', 't:FolderId', 't:ParentFolderId!', 't:UnreadCount'] },
  't:DeletedEvent': { children: ['t:Watermark!', 't:TimeStamp!', 't:ItemId', 't:FolderId', 't:ParentFolderId!'] },
  't:Watermark': { text: true },
  't:TimeStamp': { text: true },

  // SOAP Autodiscover (MS-OXWSADISC) GetUserSettings: the response, then one UserResponse per mailbox asked about.
  'wsa:Action': { text: true },
  'ad:ServerVersionInfo': { children: ['ad:MajorVersion', 'ad:MinorVersion', 'ad:MajorBuildNumber', 'ad:MinorBuildNumber', 'ad:Version'] },
  'ad:MajorVersion': { text: true },
  'ad:MinorVersion': { text: true },
  'ad:MajorBuildNumber': { text: true },
  'ad:MinorBuildNumber': { text: true },
  'ad:Version': { text: true },
  'ad:GetUserSettingsResponseMessage': { children: ['ad:Response!'] },
  'ad:Response': { children: ['ad:ErrorCode!', 'ad:ErrorMessage', 'ad:UserResponses'] },
  'ad:UserResponses': { children: ['ad:UserResponse'] },
  'ad:UserResponse': { children: ['ad:ErrorCode!', 'ad:ErrorMessage', 'ad:RedirectTarget', 'ad:UserSettingErrors', 'ad:UserSettings'] },
  'ad:ErrorCode': { text: true },
  'ad:ErrorMessage': { text: true },
  'ad:RedirectTarget': { text: true },
  'ad:UserSettingErrors': { children: ['ad:UserSettingError'] },
  'ad:UserSettingError': { children: ['ad:ErrorCode!', 'ad:ErrorMessage', 'ad:SettingName'] },
  'ad:SettingName': { text: true },
  'ad:UserSettings': { children: ['ad:UserSetting'] },
  'ad:UserSetting': { children: ['ad:Name!', 'ad:Value'] },
  'ad:Name': { text: true },
  'ad:Value': { text: true },
};

/**
 * Elements whose structure depends on where they sit: SyncFolderHierarchy's Changes (Types.xsd
 * SyncFolderHierarchyChangesType) hold folders where SyncFolderItems' hold items. Keyed by the end of the path.
 */
const IN_CONTEXT: Readonly<Record<string, Shape>> = {
  'm:SyncFolderHierarchyResponseMessage/m:Changes': { anyOrder: true, children: ['t:Create', 't:Update', 't:Delete'] },
  // SyncFolderHierarchyCreateOrUpdateType: one folder of any kind; SyncFolderHierarchyDeleteType: its FolderId.
  'm:SyncFolderHierarchyResponseMessage/m:Changes/t:Create': { anyOrder: true, children: ['t:Folder', 't:CalendarFolder', 't:ContactsFolder', 't:SearchFolder', 't:TasksFolder'] },
  'm:SyncFolderHierarchyResponseMessage/m:Changes/t:Update': { anyOrder: true, children: ['t:Folder', 't:CalendarFolder', 't:ContactsFolder', 't:SearchFolder', 't:TasksFolder'] },
  'm:SyncFolderHierarchyResponseMessage/m:Changes/t:Delete': { children: ['t:FolderId!'] },
  // A time zone's RecurringDayTransition/Occurrence is a number (which weekday of the month, -1 the last), not OccurrenceInfoType.
  't:RecurringDayTransition/t:Occurrence': { text: true },
};

const shapeAt = (here: string, name: string): Shape | undefined => Object.entries(IN_CONTEXT).find(([suffix]) => here.endsWith(`/${suffix}`))?.[1] ?? SHAPES[name];

/** Events of a notification (Types.xsd NotificationType's xs:choice). */
const EVENTS = new Set(['t:StatusEvent', 't:NewMailEvent', 't:CreatedEvent', 't:ModifiedEvent', 't:MovedEvent', 't:CopiedEvent', 't:DeletedEvent', 't:FreeBusyChangedEvent']);
const PREFIX: Readonly<Record<string, string>> = { [SOAP_NS]: 's', [MESSAGES_NS]: 'm', [TYPES_NS]: 't', [AUTODISCOVER_NS]: 'ad', [ADDRESSING_NS]: 'wsa' };

/** Where a document leaves the schema's structure; empty when it follows it. */
export function checkEwsDocument(xml: string): string[] {
  const problems: string[] = [];
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) return ['not XML'];
  check(root as unknown as Element, '', problems);
  return problems;
}

function nameOf(element: Element): string {
  const prefix = element.namespaceURI ? PREFIX[element.namespaceURI] : undefined;
  return prefix ? `${prefix}:${element.localName}` : element.localName!;
}

function check(element: Element, path: string, problems: string[]): void {
  const name = nameOf(element);
  const here = `${path}/${name}`;
  const shape = shapeAt(here, name);
  // Inside a SOAP fault's detail, Exchange's own error elements (errors namespace) are free-form.
  if (!shape) {
    if (!path.includes('/detail')) problems.push(`${here}: not an element of the responses the schema gives these operations`);
    return;
  }
  for (const attribute of shape.attributes ?? []) if (!element.hasAttribute(attribute)) problems.push(`${here}: missing attribute ${attribute}`);
  const children: Element[] = [];
  for (let c = element.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) children.push(c as unknown as Element);
  if (shape.text) {
    if (children.length) problems.push(`${here}: holds elements where the schema has text`);
    return;
  }
  const allowed = (shape.children ?? []).map((c) => c.replace(/[!*]$/, ''));
  let position = 0;
  for (const childElement of children) {
    const childName = nameOf(childElement);
    const slot = allowed.includes(childName) ? childName : EVENTS.has(childName) && allowed.includes('t:Events') ? 't:Events' : null;
    if (!slot) {
      if (name !== 's:Fault' && name !== 'detail') problems.push(`${here}: ${childName} is not a child the schema allows here`);
    } else if (!shape.anyOrder) {
      const index = allowed.indexOf(slot);
      if (index < position) problems.push(`${here}: ${childName} comes after an element the schema puts after it`);
      position = index;
    }
    if (name !== 's:Fault') check(childElement, here, problems);
  }
  for (const required of (shape.children ?? []).filter((c) => c.endsWith('!')).map((c) => c.slice(0, -1))) {
    if (!children.some((c) => nameOf(c) === required)) problems.push(`${here}: missing ${required}`);
  }
}
