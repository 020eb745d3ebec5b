import { describe, expect, it } from 'vitest';
import { readWorkHoursZone } from './ews-mailbox-zone.js';

// A "WorkHours" XmlData as Outlook saves it (MS-OXOCFG 2.2.5.2.1), here for Helsinki/Kyiv time, indented.
const OUTLOOK = `<?xml version="1.0"?>
<Root xmlns="WorkingHours.xsd">
  <WorkHoursVersion1>
    <TimeZone>
      <Bias>-120</Bias>
      <Standard><Bias>0</Bias><ChangeDate><Time>04:00:00</Time><Date>0000/10/05</Date><DayOfWeek>0</DayOfWeek></ChangeDate></Standard>
      <DaylightSavings><Bias>-60</Bias><ChangeDate><Time>03:00:00</Time><Date>0000/03/05</Date><DayOfWeek>0</DayOfWeek></ChangeDate></DaylightSavings>
      <Name>FLE Standard Time</Name>
    </TimeZone>
    <TimeSlot><Start>08:00:00</Start><End>17:00:00</End></TimeSlot>
    <WorkDays>Monday Tuesday Wednesday Thursday Friday</WorkDays>
  </WorkHoursVersion1>
</Root>`;

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('the Windows time zone in a WorkHours XmlData', () => {
  it.each([
    ['as Outlook writes it', utf8(OUTLOOK), 'FLE Standard Time'],
    ['with a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(OUTLOOK)]), 'FLE Standard Time'],
    ['in UTF-16 with its BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OUTLOOK.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>'), 'utf16le')]), 'FLE Standard Time'],
    [
      'with a namespace prefix and whitespace around the name',
      utf8('<wh:Root xmlns:wh="WorkingHours.xsd"><wh:WorkHoursVersion1><wh:TimeZone><wh:Bias>-60</wh:Bias><wh:Name>\n   W. Europe Standard Time \r\n</wh:Name></wh:TimeZone></wh:WorkHoursVersion1></wh:Root>'),
      'W. Europe Standard Time',
    ],
    ['with WorkHoursVersion1 as the root', utf8('<WorkHoursVersion1 xmlns="WorkingHours.xsd"><TimeZone><Bias>480</Bias><Name>Pacific Standard Time</Name></TimeZone></WorkHoursVersion1>'), 'Pacific Standard Time'],
    ['with an escaped character', utf8('<Root xmlns="WorkingHours.xsd"><WorkHoursVersion1><TimeZone><Name>Turks And Caicos Standard Time&#x20;</Name></TimeZone></WorkHoursVersion1></Root>'), 'Turks And Caicos Standard Time'],
  ])('reads the Name %s', (_, xmlData, windowsZone) => {
    expect(readWorkHoursZone(xmlData)).toEqual({ windowsZone });
  });

  it.each([
    ['text', utf8('garbage')],
    ['nothing', Buffer.alloc(0)],
    ['binary', Buffer.from([0x00, 0x13, 0x88, 0xfe, 0x01])],
    ['JSON', utf8('{"timeZone":"W. Europe Standard Time"}')],
    ['a cut-off document', utf8(OUTLOOK.slice(0, 200))],
    ['tags that do not match', utf8(OUTLOOK.replace('</Name>', '</Nam>'))],
    ['an undeclared entity', utf8(OUTLOOK.replace('FLE Standard Time', 'FLE &nbsp; Time'))],
  ])('calls %s not XML', (_, xmlData) => {
    expect(readWorkHoursZone(xmlData)).toEqual({ problem: 'its XmlData is not well-formed XML' });
  });

  it('names another document stored under the name', () => {
    const categories = utf8('<?xml version="1.0"?><categories default="Red Category" xmlns="CategoryList.xsd"><category name="Red Category" color="0"/></categories>');
    expect(readWorkHoursZone(categories)).toEqual({ problem: 'its XmlData is not a WorkingHours.xsd document (root element categories)' });
  });

  it('says so when the time zone has no Name, as Outlook 2007 wrote it', () => {
    expect(readWorkHoursZone(utf8(OUTLOOK.replace('<Name>FLE Standard Time</Name>', '')))).toEqual({ problem: 'its time zone has no Name (the Windows zone id)' });
    expect(readWorkHoursZone(utf8(OUTLOOK.replace('FLE Standard Time', '  ')))).toEqual({ problem: 'its time zone has no Name (the Windows zone id)' });
    expect(readWorkHoursZone(utf8('<Root xmlns="WorkingHours.xsd"><WorkHoursVersion1><TimeSlot/></WorkHoursVersion1></Root>'))).toEqual({ problem: 'its time zone has no Name (the Windows zone id)' });
  });
});
