import { createHash } from 'node:crypto';
import { decodeEncodedWords } from './encoded-words';

// Subjects reduced to what a reply keeps of them, for smart matching (subject hash plus
// shared recipients). Stripping too much merges unrelated threads; too little only misses.

/**
 * Reply and forward keywords that mail clients put before a subject, per locale. Matched
 * only at the start and only when followed by a colon, so they never eat subject words.
 */
export const REPLY_FORWARD_PREFIXES: readonly string[] = [
  'RE', 'FW', 'FWD', // English, and what most clients write whatever their locale
  'AW', 'WG', // German: Antwort, Weitergeleitet
  'SV', 'VB', // Swedish: Svar, Vidarebefordrat; SV is also Danish, Norwegian, Icelandic
  'VS', // Danish and Norwegian forward (Videresendt); Finnish and Estonian reply (Vastaus)
  'VL', // Finnish: Välitetty
  'FS', // Icelandic: Framsent
  'ANTW', 'DOORST', // Dutch: Antwoord, Doorsturen
  'TR', // French: Transféré (French Outlook writes "RE :" and "TR :", space before the colon)
  'RV', // Spanish: Reenviado
  'RES', 'ENC', // Portuguese: Resposta, Encaminhado (Outlook pt-BR)
  // Italian Outlook: R (Risposta), RIF (Riferimento), I (Inoltro). A Roman-numeral heading
  // "I: Scope" loses its numeral, which only matters if another thread is titled "Scope"
  // with the same recipients; Italian mail is common enough to accept that.
  'R', 'RIF', 'I',
  'ODP', 'PD', // Polish and Czech: Odpowiedź/Odpověď, Przekaż dalej
  'YNT', 'ILT', 'İLT', // Turkish: Yanıt, İletildi (İ has no simple case folding to I, so both)
  'VÁ', 'TOV', // Hungarian: Válasz, Továbbítás
  'ATB', 'YML', // Welsh: Ateb, Ymlaen
  'BLS', 'TRS', // Indonesian: Balas, Terusan
  'ΑΠ', 'ΣΧΕΤ', 'ΠΡΘ', // Greek: Απάντηση, Σχετικά, Προώθηση
  'ОТВ', 'ПЕРЕСЛ', 'НА', // Russian: Ответ, Переслать; Cyrillic НА (not Latin "HA", as in "HA: failover")
  'ВІДП', // Ukrainian: Відповідь
  'השב', 'הועבר', // Hebrew: Reply, Forwarded
  'رد', 'توجيه', // Arabic
  '回复', '回覆', '答复', '转发', '轉寄', // Chinese: Outlook zh-CN uses 答复/转发, zh-TW 回覆/轉寄
  '返信', '転送', // Japanese
  '회신', '전달', // Korean
  // Left out on purpose: FYI, INFO, NOTE, TO, ANS, SUBJ — they start real subjects.
];

// Dynamics' default keyword pattern ^[\s]*([\w]+\s?:[\s]*)+ strips any word before a colon:
// "Invoice: 42" and "Order: 42" both become "42" and smart-match each other, and \w misses
// 回复 and VÁ. We strip listed keywords only, with an optional counter ("Re[2]:", "RE(3):",
// "Re^2:"), an optional space before the colon (French typography) and the full-width colon
// that CJK clients write.
const PREFIX_CHAIN = new RegExp(
  `^\\s*(?:(?:${[...REPLY_FORWARD_PREFIXES].sort((a, b) => b.length - a.length).join('|')})` +
    `(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)?[ \\t]?[:：]\\s*)+`,
  'iu',
);

/**
 * Removes every leading reply/forward keyword ("Re: AW: Fwd[2]: x" → "x"). A leading bracket
 * tag such as "[EXTERNAL]" is kept, and so is everything after it: gateways add such tags,
 * lists use them as names, and dropping one could merge threads that differ only by it.
 */
export function stripReplyPrefixes(subject: string): string {
  return subject.replace(PREFIX_CHAIN, '');
}

/** The comparable form of a subject: decoded, keywords and tracking token removed, NFKC, lower-case, single-spaced. */
export function normalizeSubject(subject: string, tokenPattern?: RegExp): string {
  // NFKC first so full-width "ＲＥ：" is seen as "RE:" by the keyword pattern.
  let text = decodeEncodedWords(subject).normalize('NFKC');
  if (tokenPattern) text = text.replace(globalCopy(tokenPattern), ' ');
  // toLowerCase is locale-independent (Unicode default casing): the same hash on every server.
  return stripReplyPrefixes(text).toLowerCase().normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** SHA-256 (hex) of a normalized subject, or null for an empty one: an empty subject must never smart-match. */
export function subjectHash(normalized: string): string | null {
  if (normalized.trim() === '') return null;
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}

function globalCopy(pattern: RegExp): RegExp {
  return pattern.global ? new RegExp(pattern.source, pattern.flags) : new RegExp(pattern.source, `${pattern.flags}g`);
}
