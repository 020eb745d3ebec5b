// The hub keeps at most the organization's maxBodyKb of each body (trackEmails cuts the rest and records
// BODY_TRUNCATED). Sending more only makes requests the hub may refuse as too large.

/**
 * What is sent beyond the limit, so the hub still sees a body over its limit and records the cut itself; it
 * outlasts repairs the hub makes first (removed NUL characters) and a limit raised since the claim by a little.
 */
export const BODY_CUT_SLACK_BYTES = 16 * 1024;

/** `body` cut to at most `maxBodyBytes` + the slack in UTF-8, never splitting a character; unchanged when it is shorter. */
export function cutBody(body: string | null, maxBodyBytes: number): string | null {
  const keep = maxBodyBytes + BODY_CUT_SLACK_BYTES;
  // Every UTF-16 unit is at least one byte of UTF-8: a body of `keep` units or fewer needs no measuring first.
  if (body === null || body.length <= keep / 3 || Buffer.byteLength(body, 'utf8') <= keep) return body;
  let units = body.slice(0, keep);
  if (/[\uD800-\uDBFF]$/.test(units)) units = units.slice(0, -1); // half of a surrogate pair
  const bytes = Buffer.from(units, 'utf8');
  if (bytes.length <= keep) return units;
  let cut = bytes.subarray(0, keep).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1); // a character split at the cut
  return cut;
}
