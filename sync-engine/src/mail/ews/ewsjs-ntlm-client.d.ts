// @ewsjs/ntlm-client ships no types; the streaming connection uses its three message functions (MS-NLMP).
declare module '@ewsjs/ntlm-client' {
  /** A decoded CHALLENGE_MESSAGE; only createType3Message reads it. */
  export type NtlmChallengeMessage = object;
  /** "NTLM <base64 NEGOTIATE_MESSAGE>". */
  export function createType1Message(workstation: string, target: string): string;
  /** Reads the CHALLENGE_MESSAGE from "NTLM <base64>" (or the bare base64). */
  export function decodeType2Message(header: string): NtlmChallengeMessage;
  /** "NTLM <base64 AUTHENTICATE_MESSAGE>", with the NTLMv2 response when the challenge carries target information. */
  export function createType3Message(challenge: NtlmChallengeMessage, username: string, password: string, workstation: string, target: string): string;
}
