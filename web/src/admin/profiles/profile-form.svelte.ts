import type { GraphQLClient } from '../../graphql/graphql-client';
import type { CreateEmailServerProfileInput, EmailServerKind, MailAuthMethod, TlsMode, UpdateEmailServerProfileInput } from '../../graphql/operations.generated';
import { dateInputValue, fromDateInput } from '../../mailboxes/mailbox-format';
import { inputFieldOf, toMutationError, type MutationError } from '../../shell/mutation-error';
import { wholeNumber } from '../form-values';
import { CREATE_PROFILE, defaultPort, UPDATE_PROFILE, type EmailServerProfile } from './profiles';

/** The form's values as its controls hold them (numbers as typed); secrets start empty and are never filled from the API. */
export interface ProfileValues {
  name: string;
  kind: EmailServerKind;
  isDefault: boolean;
  incomingHost: string;
  incomingPort: string;
  incomingTls: TlsMode;
  /** EXCHANGE_EWS: find the server from each mailbox's address instead of `ewsUrl`. */
  autodiscover: boolean;
  ewsUrl: string;
  useImpersonation: boolean;
  sends: boolean;
  outgoingHost: string;
  outgoingPort: string;
  outgoingTls: TlsMode;
  sentFolder: string;
  authMethod: MailAuthMethod;
  useProfileCredentials: boolean;
  credentialUsername: string;
  password: string;
  accessToken: string;
  allowInvalidCertificates: boolean;
  pollIntervalSeconds: string;
  maxConcurrentConnections: string;
  processEmailFrom: string;
}

/** A field the form checks before sending: a number that is not one. */
export type LocalProblem = 'notANumber' | 'required';

const incomingProtocol = (kind: EmailServerKind) => (kind === 'POP3_SMTP' ? 'POP3' : 'IMAP');

function valuesOf(profile: EmailServerProfile | null): ProfileValues {
  if (!profile) {
    return {
      name: '', kind: 'IMAP_SMTP', isDefault: false,
      incomingHost: '', incomingPort: '993', incomingTls: 'IMPLICIT', autodiscover: true, ewsUrl: '', useImpersonation: false,
      sends: true, outgoingHost: '', outgoingPort: '587', outgoingTls: 'STARTTLS', sentFolder: '',
      authMethod: 'PASSWORD', useProfileCredentials: false, credentialUsername: '', password: '', accessToken: '',
      allowInvalidCertificates: false, pollIntervalSeconds: '60', maxConcurrentConnections: '10', processEmailFrom: '',
    };
  }
  return {
    name: profile.name,
    kind: profile.kind,
    isDefault: profile.isDefault,
    incomingHost: profile.incomingHost ?? '',
    incomingPort: profile.incomingPort === null ? '993' : String(profile.incomingPort),
    incomingTls: profile.incomingTls ?? 'IMPLICIT',
    autodiscover: profile.ewsUrl === null,
    ewsUrl: profile.ewsUrl ?? '',
    useImpersonation: profile.useImpersonation,
    sends: profile.kind === 'EXCHANGE_EWS' || profile.outgoingHost !== null,
    outgoingHost: profile.outgoingHost ?? '',
    outgoingPort: profile.outgoingPort === null ? '587' : String(profile.outgoingPort),
    outgoingTls: profile.outgoingTls ?? 'STARTTLS',
    sentFolder: profile.sentFolder ?? '',
    authMethod: profile.authMethod,
    useProfileCredentials: profile.useProfileCredentials,
    credentialUsername: profile.credentialUsername ?? '',
    password: '',
    accessToken: '',
    allowInvalidCertificates: profile.allowInvalidCertificates,
    pollIntervalSeconds: String(profile.pollIntervalSeconds),
    maxConcurrentConnections: String(profile.maxConcurrentConnections),
    processEmailFrom: profile.processEmailFrom ? dateInputValue(new Date(profile.processEmailFrom)) : '',
  };
}

const OUTGOING = ['outgoingHost', 'outgoingPort', 'outgoingTls'] as const;
const NUMBERS = ['incomingPort', 'outgoingPort', 'pollIntervalSeconds', 'maxConcurrentConnections'] as const;

/**
 * Create or edit one email server profile. An edit sends only what changed; a password or token is sent
 * only when typed, and cleared from the form whatever the answer (the API never gives it back).
 */
export class ProfileForm {
  values = $state<ProfileValues>(valuesOf(null));
  local = $state<Partial<Record<keyof ProfileValues, LocalProblem>>>({});
  error = $state<MutationError | null>(null);
  saving = $state(false);
  readonly #initial: ProfileValues;

  constructor(
    private readonly client: GraphQLClient,
    readonly existing: EmailServerProfile | null,
  ) {
    this.#initial = valuesOf(existing);
    this.values = { ...this.#initial };
  }

  /** The server type or an encryption changed: a port still at the old usual value follows to the new one. */
  retune(change: Partial<Pick<ProfileValues, 'kind' | 'incomingTls' | 'outgoingTls'>>): void {
    const before = this.values;
    const after = { ...before, ...change };
    if (before.incomingPort === String(defaultPort(incomingProtocol(before.kind), before.incomingTls))) {
      after.incomingPort = String(defaultPort(incomingProtocol(after.kind), after.incomingTls));
    }
    if (before.outgoingPort === String(defaultPort('SMTP', before.outgoingTls))) after.outgoingPort = String(defaultPort('SMTP', after.outgoingTls));
    // POP3 signs in with a password only (api: OAUTH_BEARER is IMAP_SMTP only); NTLM is Exchange's alone.
    if (after.kind === 'POP3_SMTP') after.authMethod = 'PASSWORD';
    if (after.kind !== 'EXCHANGE_EWS' && after.authMethod === 'NTLM') after.authMethod = 'PASSWORD';
    // Exchange sends through itself; an IMAP/POP3 profile made from one starts with an SMTP server to fill in.
    if (after.kind !== before.kind) after.sends = true;
    this.values = after;
  }

  /** The message beside a control: the form's own check first, else the API's refusal when it names this field. */
  problemOf(field: keyof ProfileValues): LocalProblem | MutationError | null {
    if (this.local[field]) return this.local[field]!;
    return this.#fieldOfError() === field ? this.error : null;
  }

  /** A refusal no control shows. */
  get generalError(): MutationError | null {
    const named = this.#fieldOfError();
    return this.error && (named === null || !(named in this.values)) ? this.error : null;
  }

  /** The control a refusal belongs beside: the SMTP switch when the outgoing fields it names are hidden (the API refuses removing a server mailboxes send through). */
  #fieldOfError(): string | null {
    const named = inputFieldOf(this.error);
    return !this.values.sends && named !== null && (OUTGOING as readonly string[]).includes(named) ? 'sends' : named;
  }

  /** Resolves with the saved profile, or null with the problems set. */
  async save(): Promise<EmailServerProfile | null> {
    if (this.saving) return null;
    const v = this.values;
    const local: typeof this.local = {};
    const exchange = v.kind === 'EXCHANGE_EWS';
    const smtp = v.sends && !exchange;
    for (const field of NUMBERS) {
      const shown = field === 'outgoingPort' ? smtp : field === 'incomingPort' ? !exchange : true;
      if (shown && wholeNumber(v[field]) === null) local[field] = 'notANumber';
    }
    if (!v.name.trim()) local.name = 'required';
    if (!exchange && !v.incomingHost.trim()) local.incomingHost = 'required';
    if (exchange && !v.autodiscover && !v.ewsUrl.trim()) local.ewsUrl = 'required';
    if (smtp && !v.outgoingHost.trim()) local.outgoingHost = 'required';
    this.local = local;
    this.error = null;
    if (Object.keys(local).length > 0) return null;
    this.saving = true;
    try {
      const full = this.#input();
      if (!this.existing) return (await this.client.request(CREATE_PROFILE, { input: full })).createEmailServerProfile;
      return (await this.client.request(UPDATE_PROFILE, { id: this.existing.id, input: this.#changes(full) })).updateEmailServerProfile;
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.saving = false;
      this.values = { ...this.values, password: '', accessToken: '' };
    }
  }

  #input(): CreateEmailServerProfileInput {
    const v = this.values;
    const from = fromDateInput(v.processEmailFrom);
    // An Exchange profile has no IMAP/POP3/SMTP server or Sent folder (the api refuses them); the others have no EWS settings.
    const exchange = v.kind === 'EXCHANGE_EWS';
    const smtp = v.sends && !exchange;
    return {
      name: v.name.trim(),
      kind: v.kind,
      isDefault: v.isDefault,
      incomingHost: exchange ? null : v.incomingHost.trim(),
      incomingPort: exchange ? null : wholeNumber(v.incomingPort)!,
      incomingTls: exchange ? null : v.incomingTls,
      ewsUrl: exchange && !v.autodiscover ? v.ewsUrl.trim() : null,
      useImpersonation: exchange && v.useImpersonation,
      outgoingHost: smtp ? v.outgoingHost.trim() : null,
      outgoingPort: smtp ? wholeNumber(v.outgoingPort) : null,
      outgoingTls: smtp ? v.outgoingTls : null,
      sentFolder: exchange ? null : v.sentFolder.trim() || null,
      authMethod: v.authMethod,
      useProfileCredentials: v.useProfileCredentials,
      credentialUsername: v.credentialUsername.trim() || null,
      ...(v.password && v.authMethod !== 'OAUTH_BEARER' ? { password: v.password } : {}),
      ...(v.accessToken && v.authMethod === 'OAUTH_BEARER' ? { accessToken: v.accessToken } : {}),
      allowInvalidCertificates: v.allowInvalidCertificates,
      pollIntervalSeconds: wholeNumber(v.pollIntervalSeconds)!,
      maxConcurrentConnections: wholeNumber(v.maxConcurrentConnections)!,
      processEmailFrom: from ? from.toISOString() : null,
    };
  }

  /** What differs from the profile as loaded (secrets: whenever typed). */
  #changes(full: CreateEmailServerProfileInput): UpdateEmailServerProfileInput {
    const before = this.#initial;
    const v = this.values;
    const same = (field: keyof ProfileValues) => v[field] === before[field];
    const changes: Record<string, unknown> = {};
    const exchange = v.kind === 'EXCHANGE_EWS';
    const direct = ['name', 'kind', 'isDefault', 'authMethod', 'useProfileCredentials', 'credentialUsername', 'allowInvalidCertificates', 'pollIntervalSeconds', 'maxConcurrentConnections', 'processEmailFrom'] as const;
    for (const field of direct) if (!same(field)) changes[field] = full[field];
    // Turning a profile into Exchange makes the api drop its IMAP/POP3/SMTP servers; only what this kind uses is sent.
    const own = exchange ? (['useImpersonation'] as const) : (['incomingHost', 'incomingPort', 'incomingTls', 'sentFolder'] as const);
    for (const field of own) if (!same(field) || !same('kind')) changes[field] = full[field];
    if (exchange && (!same('autodiscover') || !same('ewsUrl') || !same('kind'))) changes.ewsUrl = full.ewsUrl;
    if (!exchange && (!same('kind') || !same('sends') || !same('outgoingHost') || !same('outgoingPort') || !same('outgoingTls'))) {
      // The SMTP server is all there or all gone (api: outgoingProblem); null for the host removes all three.
      Object.assign(changes, v.sends ? { outgoingHost: full.outgoingHost, outgoingPort: full.outgoingPort, outgoingTls: full.outgoingTls } : { outgoingHost: null });
    }
    if (full.password) changes.password = full.password;
    if (full.accessToken) changes.accessToken = full.accessToken;
    return changes as UpdateEmailServerProfileInput;
  }
}
