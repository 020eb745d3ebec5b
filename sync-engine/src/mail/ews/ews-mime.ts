/**
 * The finished message with its Bcc recipients written into a Bcc header. The hub's MIME leaves Bcc out (RFC 5322
 * 3.6.3: SMTP carries it in the envelope), but EWS CreateItem from MimeContent has no envelope: Exchange takes the
 * recipients from To, Cc and Bcc, and removes Bcc from what the other recipients get.
 */
export function withBccHeader(raw: Buffer, recipients: readonly string[]): Buffer {
  const headerEnd = findHeaderEnd(raw);
  const header = raw.subarray(0, headerEnd).toString('latin1');
  const visible = new Set([...addressesIn(headerField(header, 'to')), ...addressesIn(headerField(header, 'cc')), ...addressesIn(headerField(header, 'bcc'))]);
  const bcc = [...new Set(recipients.map((address) => address.trim()).filter((address) => address !== '' && !visible.has(address.toLowerCase())))];
  if (bcc.length === 0) return raw;
  // Addresses are ASCII addr-specs here (the envelope's), so the header needs no encoding.
  const line = Buffer.from(`Bcc: ${bcc.join(',\r\n ')}\r\n`, 'latin1');
  return Buffer.concat([line, raw]);
}

/** Where the header section ends (after its blank line), or the whole message if it has no body. */
function findHeaderEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  if (crlf >= 0) return crlf + 2;
  const lf = raw.indexOf('\n\n');
  return lf >= 0 ? lf + 1 : raw.length;
}

/** Every value of one header field, unfolded (RFC 5322 2.2.3), joined by commas. */
export function headerField(header: string, name: string): string {
  const unfolded = header.replace(/\r?\n[ \t]+/g, ' ');
  const values: string[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) values.push(line.slice(colon + 1));
  }
  return values.join(',');
}

/** The addr-specs in an address list, lower-cased: "<a@b>" forms and bare ones. */
export function addressesIn(value: string): string[] {
  const withoutQuoted = value.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutQuoted.matchAll(/<?([^\s<>,;:"()]+@[^\s<>,;:"()]+)>?/g)].map((match) => match[1].toLowerCase());
}
