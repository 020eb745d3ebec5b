// Realistic mail for the ingest benchmark, as the sync engine hands it to trackEmails: the header
// shapes of test/support/mail-fixtures.ts (Outlook, Gmail, Apple Mail, Thunderbird), threads with
// In-Reply-To/References, 2–6 parties mixing seeded contacts, colleagues and unknown addresses, and
// bodies of about 20 KB (median, text plus HTML). Deterministic for a given seed.
import { appleMailMessage, gmailMessage, outlookMessage, outlookThreadIndex, thunderbirdMessage, threadRoot, type Address, type TrackItem } from '../test/support/mail-fixtures';

export interface CorpusItem {
  /** The address of the mailbox it is tracked from (the owner is a party). */
  readonly mailbox: string;
  readonly item: TrackItem;
  /** Text plus HTML body bytes. */
  readonly bodyBytes: number;
}

/** mulberry32: a small seeded PRNG, so every run tracks the same corpus. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES = [
  'Thank you for the meeting on Tuesday, it was good to walk through the rollout plan together.',
  'As discussed, we would like to move the installation to the second week of the month.',
  'Please find the revised offer below; the prices include delivery and on-site training.',
  'Our purchasing department needs the order confirmation before Friday to release the budget.',
  'Could you confirm that the support contract covers the new warehouse in Malmö as well?',
  'The invoice from last quarter lists twelve licences, but we only activated ten of them.',
  'I have copied my colleague who is responsible for the technical integration on our side.',
  'We tested the new version in our staging environment and found no blocking issues.',
  'Let me know if a call on Thursday afternoon works for you, otherwise early next week.',
  'The delivery was delayed at customs; the forwarder expects it to arrive on Monday.',
  'Vi återkommer med ett reviderat förslag så snart vi har pratat med ekonomiavdelningen.',
  'Wir haben die Unterlagen geprüft und würden gerne mit der Pilotphase im Mai beginnen.',
  'For the renewal we would prefer a three-year term with an annual price review.',
  'Attached you will find the minutes of the steering group and the updated time plan.',
  'Our legal team asked for two changes in the data processing agreement, see section 4.2.',
  'The training for the service technicians is booked for the 14th, twelve participants.',
];
const FIRST = ['Anna', 'Lars', 'Maja', 'Oskar', 'Elin', 'Johan', 'Sara', 'Peter', 'Keiko', 'Luca', 'Amira', 'Tom'];
const LAST = ['Berg', 'Holm', 'Ek', 'Sandberg', 'Meyer', 'Rossi', 'Ito', 'Haddad', 'Walsh', 'Novak'];
const TOPICS = ['Offer', 'Delivery schedule', 'Support contract', 'Invoice', 'Installation', 'Licence renewal', 'Training dates', 'Data processing agreement', 'Pilot phase', 'Price review'];

function paragraphs(rand: () => number, bytes: number): string[] {
  const out: string[] = [];
  let size = 0;
  while (size < bytes) {
    const count = 2 + Math.floor(rand() * 4);
    const p = Array.from({ length: count }, () => SENTENCES[Math.floor(rand() * SENTENCES.length)]).join(' ');
    out.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  return out;
}

/** Outlook-style HTML for the same paragraphs: Word markup around each, a signature table, a remote image. */
function htmlOf(paras: readonly string[], sender: string): string {
  const span = (text: string) =>
    `<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif;color:#1F3864">${text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')}<o:p></o:p></span></p>`;
  return [
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>p.MsoNormal{margin:0cm;font-size:11.0pt}</style></head><body lang="SV" link="#0563C1">',
    '<div class="WordSection1">',
    ...paras.map(span),
    `<table border="0" cellpadding="0"><tr><td><b>${sender}</b><br>Key Account Manager<br><a href="https://www.example.com">www.example.com</a></td><td><img src="https://cdn.example.com/logo.png" width="120" height="40"></td></tr></table>`,
    '</div></body></html>',
  ].join('\n');
}

export interface CorpusInput {
  /** Mailbox owners: the demo users, by address. */
  readonly mailboxes: readonly Address[];
  /** Addresses of seeded contacts (resolve to records). */
  readonly contacts: readonly Address[];
  readonly count: number;
  readonly seed?: number;
}

export function buildCorpus(input: CorpusInput): CorpusItem[] {
  const rand = random(input.seed ?? 20260511);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const unknown = (): Address => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return { address: `${first}.${last}@partner${Math.floor(rand() * 400)}.example`.toLowerCase(), name: `${first} ${last}` };
  };
  const start = Date.UTC(2026, 3, 1);
  const perMailbox = new Map<string, TrackItem[]>();
  const items: CorpusItem[] = [];
  for (let i = 0; i < input.count; i++) {
    const owner = input.mailboxes[i % input.mailboxes.length];
    const history = perMailbox.get(owner.address) ?? [];
    perMailbox.set(owner.address, history);
    // 2–6 parties: the owner, one to five others (mostly contacts, some unknown, sometimes a colleague).
    const others = 1 + Math.floor(rand() * 5);
    const people: Address[] = [];
    while (people.length < others) {
      const r = rand();
      const person = r < 0.6 ? pick(input.contacts) : r < 0.9 ? unknown() : pick(input.mailboxes);
      if (person.address !== owner.address && !people.some((p) => p.address === person.address)) people.push(person);
    }
    const outgoing = rand() < 0.35;
    const from = outgoing ? owner : people[0];
    const recipients = outgoing ? people : [owner, ...people.slice(1)];
    const to = recipients.slice(0, 1 + Math.floor(rand() * Math.min(2, recipients.length)));
    const cc = recipients.slice(to.length);
    const date = new Date(start + i * 37_000 + Math.floor(rand() * 30_000));
    // A third are replies to an earlier message of the same mailbox.
    const parent = history.length > 0 && rand() < 0.35 ? history[Math.floor(rand() * history.length)] : undefined;
    const subject = parent ? `Re: ${parent.subject!.replace(/^(Re: )+/, '')}` : `${pick(TOPICS)} – ${pick(['Q2', 'order 4471', 'site visit', 'follow-up', 'next steps', 'contract 2026'])}`;
    const references = parent ? [...(parent.references ?? []), parent.messageId!] : [];
    // Median about 20 KB of text plus HTML (log-normal spread); the HTML is about 1.5× the text.
    const total = Math.min(200_000, Math.max(3_000, 22_000 * Math.exp(0.6 * gaussian(rand))));
    const paras = paragraphs(rand, total * 0.4);
    const quoted = parent ? `\n\n-----Original Message-----\nFrom: ${parent.from?.name ?? ''} <${parent.from?.address}>\nSubject: ${parent.subject}\n\n` : '';
    const text = paras.join('\n\n') + quoted;
    const flavour = rand();
    const common = { from, to, subject, date, inReplyTo: parent?.messageId ?? undefined, references };
    let item: TrackItem;
    if (flavour < 0.5) {
      const threadIndex = parent?.threadIndex ? outlookThreadIndex(threadRoot(parent.threadIndex), 1) : outlookThreadIndex();
      item = { ...outlookMessage({ ...common, cc, threadIndex }), textBody: text, htmlBody: htmlOf(paras, from.name ?? from.address) };
    } else if (flavour < 0.8) {
      item = { ...gmailMessage({ ...common, cc }), textBody: text, htmlBody: `<div dir="ltr">${paras.map((p) => `<div>${p}</div><div><br></div>`).join('')}</div>` + htmlOf([], from.name ?? '') };
    } else if (flavour < 0.9) {
      item = { ...appleMailMessage(common), cc, textBody: text, htmlBody: htmlOf(paras, from.name ?? from.address) };
    } else {
      item = { ...thunderbirdMessage(common), cc, textBody: text, htmlBody: null };
    }
    history.push(item);
    items.push({ mailbox: owner.address, item, bodyBytes: Buffer.byteLength(item.textBody ?? '') + Buffer.byteLength(item.htmlBody ?? '') });
  }
  return items;
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
