import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// A real Dovecot (IMAP + POP3) per test file, on free loopback ports, with its own users and maildirs.
// Facts it relies on: ../../../shared/notes/dovecot.md (login processes refuse root, mail processes need a
// non-root uid, paths to base_dir readable by dovenull).

const run = promisify(execFile);

export interface DovecotUser {
  readonly address: string;
  readonly password: string;
}

export interface DovecotOptions {
  readonly users: readonly DovecotUser[];
  /** Declare a Sent folder with special-use \Sent (auto = subscribe). Default true; false: no Sent folder at all. */
  readonly sentFolder?: boolean;
  /** Override the advertised IMAP capabilities (Dovecot's `imap_capability`), e.g. to hide CONDSTORE or UIDPLUS. */
  readonly imapCapability?: string;
  /** IMAP connections the server must hold at once (benchmarks: a thousand IDLE-ing mailboxes, twice); default Dovecot's limits. */
  readonly connections?: number;
}

export interface DeliverOptions {
  /** IMAP folder path ("INBOX", "Sent", "Projects/ACME"); created when missing. Default INBOX. */
  readonly folder?: string;
  /** INTERNALDATE (the maildir file's mtime). Default now. */
  readonly receivedAt?: Date;
}

export interface StartedDovecot {
  readonly host: '127.0.0.1';
  readonly imapPort: number;
  readonly popPort: number;
  /** The users' addresses (what an SMTP peer may deliver to). */
  readonly addresses: readonly string[];
  /** The config file, for `doveadm -c`. */
  readonly configPath: string;
  /** Writes the message into the folder's maildir (tmp/ then new/, as a delivery agent does); returns the file name. */
  deliver(address: string, raw: Buffer | string, options?: DeliverOptions): Promise<string>;
  /** Creates (and subscribes) a folder; folder paths use "/" as the hierarchy separator. */
  createFolder(address: string, folder: string): Promise<void>;
  /** Expunges the messages whose Message-ID header contains `messageId` (no brackets needed). */
  remove(address: string, messageId: string, folder?: string): Promise<void>;
  /** Expunges every message of a folder. */
  removeAll(address: string, folder?: string): Promise<void>;
  uidValidity(address: string, folder?: string): Promise<number>;
  /**
   * Gives the folder a new UIDVALIDITY (`doveadm mailbox update --uid-validity`), keeping its messages and UIDs:
   * exactly what a client sees when a server rebuilds its index (RFC 3501 2.3.1.1). Returns the new value.
   */
  changeUidValidity(address: string, folder?: string): Promise<number>;
  /** Message-IDs of the messages in a folder, in UID order (from doveadm, not through IMAP). */
  messageIds(address: string, folder?: string): Promise<string[]>;
  /** Runs doveadm against this instance, e.g. doveadm(['mailbox', 'list', '-u', address]). */
  doveadm(args: readonly string[]): Promise<string>;
  /** Dovecot's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

const DOVECOT = firstExisting(['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'], 'dovecot');
const DOVEADM = firstExisting(['/usr/bin/doveadm', '/usr/local/bin/doveadm'], 'doveadm');
const MAIL_USER = 'vmail';

function firstExisting(candidates: string[], fallback: string): string {
  return candidates.find((file) => fs.existsSync(file)) ?? fallback;
}

/** Starts Dovecot in a fresh temp dir and resolves once both ports greet. */
export async function startDovecot(options: DovecotOptions): Promise<StartedDovecot> {
  const isRoot = process.getuid?.() === 0;
  const owner = isRoot ? ensureMailUser() : { uid: process.getuid!(), gid: process.getgid!(), name: os.userInfo().username };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-dovecot-'));
  // Login processes run as dovenull and must reach base_dir (dovecot.md).
  fs.chmodSync(dir, 0o755);
  const mailRoot = path.join(dir, 'mail');
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub), { mode: 0o755 });
  fs.chownSync(mailRoot, owner.uid, owner.gid);
  const usersFile = path.join(dir, 'users');
  fs.writeFileSync(usersFile, options.users.map((user) => `${user.address}:{PLAIN}${user.password}:::::\n`).join(''), { mode: 0o644 });
  const configPath = path.join(dir, 'dovecot.conf');
  const logPath = path.join(dir, 'dovecot.log');

  let child: ChildProcess | null = null;
  let ports = { imap: 0, pop: 0 };
  let lastError: unknown = null;
  // A free port can be taken between our probe and Dovecot's bind; start again on new ports then.
  for (let attempt = 0; attempt < 4 && !child; attempt++) {
    ports = { imap: await freePort(), pop: await freePort() };
    fs.writeFileSync(configPath, dovecotConfig({ dir, mailRoot, usersFile, logPath, ports, owner, isRoot, options }));
    const started = spawn(DOVECOT, ['-F', '-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const gone = new AbortController();
    const exitedEarly = once(started, 'exit').then(([code]) => {
      gone.abort();
      throw new Error(`dovecot exited with ${code}: ${stderr.trim()} ${readLog(logPath).trim()}`);
    });
    try {
      await Promise.race([Promise.all([waitForGreeting(ports.imap, '* OK', gone.signal), waitForGreeting(ports.pop, '+OK', gone.signal)]), exitedEarly]);
      child = started;
    } catch (error) {
      lastError = error;
      started.kill('SIGKILL');
    } finally {
      exitedEarly.catch(() => {}); // settles at stop(), long after the race
    }
  }
  if (!child) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Dovecot did not start: ${String((lastError as Error)?.message ?? lastError)}`);
  }
  const running = child;
  const exited = once(running, 'exit');

  const doveadm = async (args: readonly string[]): Promise<string> => {
    try {
      const { stdout } = await run(DOVEADM, ['-c', configPath, ...args]);
      return stdout;
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`doveadm ${args.join(' ')} failed: ${failed.stderr?.trim() || failed.message}`);
    }
  };
  // Maildir++ keeps every folder as a dot-directory under the user's root; "/" is our IMAP separator.
  const folderDir = (address: string, folder: string) =>
    folder.toUpperCase() === 'INBOX' ? path.join(mailRoot, address) : path.join(mailRoot, address, `.${folder.split('/').join('.')}`);
  const ownDir = (dirPath: string) => {
    fs.mkdirSync(dirPath, { recursive: true, mode: 0o700 });
    fs.chownSync(dirPath, owner.uid, owner.gid);
  };
  const createFolder = async (address: string, folder: string) => {
    await doveadm(['mailbox', 'create', '-s', '-u', address, folder]).catch((error: Error) => {
      if (!/exists/i.test(error.message)) throw error;
    });
  };
  const uidValidity = async (address: string, folder = 'INBOX'): Promise<number> => {
    const out = await doveadm(['-f', 'flow', 'mailbox', 'status', '-u', address, 'uidvalidity', folder]);
    const match = /uidvalidity=(\d+)/.exec(out);
    if (!match) throw new Error(`doveadm mailbox status gave no uidvalidity: ${out}`);
    return Number(match[1]);
  };
  let delivered = 0;

  return {
    host: '127.0.0.1',
    imapPort: ports.imap,
    popPort: ports.pop,
    addresses: options.users.map((user) => user.address),
    configPath,
    doveadm,
    createFolder,
    async deliver(address, raw, deliverOptions = {}) {
      const folder = deliverOptions.folder ?? 'INBOX';
      const target = folderDir(address, folder);
      if (folder.toUpperCase() === 'INBOX') {
        for (const sub of ['', 'cur', 'new', 'tmp']) ownDir(path.join(target, sub));
      } else if (!fs.existsSync(target)) {
        await createFolder(address, folder);
        for (const sub of ['cur', 'new', 'tmp']) ownDir(path.join(target, sub));
      }
      // Maildir delivery: write under tmp/, then rename into new/ so a reader never sees half a file.
      // Dovecot numbers new/ files in name order: a zero-padded counter keeps UIDs in delivery order.
      const name = `${Math.floor(Date.now() / 1000)}.${String(delivered++).padStart(8, '0')}P${process.pid}Q${randomBytes(4).toString('hex')}.crm-test`;
      const tmpFile = path.join(target, 'tmp', name);
      fs.writeFileSync(tmpFile, raw, { mode: 0o600 });
      fs.chownSync(tmpFile, owner.uid, owner.gid);
      const at = deliverOptions.receivedAt ?? new Date();
      fs.utimesSync(tmpFile, at, at);
      fs.renameSync(tmpFile, path.join(target, 'new', name));
      return name;
    },
    async remove(address, messageId, folder = 'INBOX') {
      await doveadm(['expunge', '-u', address, 'mailbox', folder, 'header', 'Message-ID', messageId.replace(/^<|>$/g, '')]);
    },
    async removeAll(address, folder = 'INBOX') {
      await doveadm(['expunge', '-u', address, 'mailbox', folder, 'all']);
    },
    uidValidity,
    async changeUidValidity(address, folder = 'INBOX') {
      const current = await uidValidity(address, folder);
      const next = current + 1 + Math.floor(Math.random() * 1000);
      await doveadm(['mailbox', 'update', '-u', address, '--uid-validity', String(next), folder]);
      return next;
    },
    async messageIds(address, folder = 'INBOX') {
      const out = await doveadm(['-f', 'tab', 'fetch', '-u', address, 'hdr.message-id', 'mailbox', folder, 'all']);
      return out
        .split('\n')
        .slice(1)
        .map((line) => line.trim().replace(/^<|>$/g, ''))
        .filter(Boolean);
    },
    log: () => readLog(logPath),
    async stop() {
      // A graceful SIGTERM makes the master linger about a second, and nothing here needs a clean shutdown: its
      // children notice the master is gone and exit by themselves. (Not a process group of its own on purpose:
      // Ctrl-C or a timeout that kills the test run's group takes Dovecot with it.)
      if (running.exitCode === null && running.signalCode === null) {
        running.kill('SIGKILL');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function dovecotConfig(input: {
  dir: string;
  mailRoot: string;
  usersFile: string;
  logPath: string;
  ports: { imap: number; pop: number };
  owner: { uid: number; gid: number; name: string };
  isRoot: boolean;
  options: DovecotOptions;
}): string {
  const { dir, mailRoot, usersFile, logPath, ports, owner, isRoot, options } = input;
  // As root: logins as dovenull, mail as vmail (dovecot.md). As a normal user everything runs as that user
  // and login processes cannot chroot (Dovecot's "running without root" setup).
  const users = isRoot
    ? `default_login_user = dovenull\ndefault_internal_user = dovecot\n`
    : `default_login_user = ${owner.name}\ndefault_internal_user = ${owner.name}\ndefault_internal_group = ${groupName()}\n`;
  const chroot = isRoot ? '' : '  chroot =\n';
  // Many connections: login processes in high-performance mode, and imap processes that serve many clients each
  // (all mail runs as one uid), instead of a process per connection.
  const many = options.connections;
  const limits = many ? `default_process_limit = ${many + 100}\ndefault_client_limit = ${many * 2 + 100}\n` : '';
  const loginLimits = many ? `  service_count = 0\n  process_min_avail = 2\n  client_limit = ${many + 100}\n` : '';
  const imapLimits = many ? `service imap {\n  service_count = 0\n  client_limit = 50\n  process_limit = ${many + 100}\n  vsz_limit = 1G\n}\n` : '';
  const sent = options.sentFolder === false ? '' : `  mailbox Sent {\n    special_use = \\Sent\n    auto = subscribe\n  }\n`;
  return `# Written by test/support/dovecot.ts for one test file.
protocols = imap pop3
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logPath}
instance_name = crm-test-${path.basename(dir)}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Wrong-password tests should not wait the default 2 s.
auth_failure_delay = 0
${limits}${users}mail_location = maildir:${mailRoot}/%u
# POP3 UIDLs stable across sessions (RFC 1939 7).
pop3_uidl_format = %08Xu%08Xv
mail_fsync = never
mailbox_idle_check_interval = 1 secs
${options.imapCapability ? `imap_capability = ${options.imapCapability}\n` : ''}
protocol imap {
  mail_max_userip_connections = 100
}
protocol pop3 {
  mail_max_userip_connections = 100
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersFile}
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${mailRoot}/%u
}
namespace inbox {
  inbox = yes
  separator = /
${sent}}
${imapLimits}service imap-login {
${loginLimits}${chroot}  inet_listener imap {
    address = 127.0.0.1
    port = ${ports.imap}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
${chroot}  inet_listener pop3 {
    address = 127.0.0.1
    port = ${ports.pop}
  }
  inet_listener pop3s {
    port = 0
  }
}
# No auth penalty: after a failed login anvil would slow every later login from 127.0.0.1 by seconds, and the
# wrong-password tests would slow the whole file. Without its socket the auth process skips the penalty.
service anvil {
${chroot}  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${isRoot ? '' : 'service imap-urlauth-login {\n  chroot =\n}\n'}`;
}

/** The unprivileged owner of the maildirs; created when missing (CI runs as root on a fresh machine). */
function ensureMailUser(): { uid: number; gid: number; name: string } {
  const lookup = () => spawnSync('getent', ['passwd', MAIL_USER], { encoding: 'utf8' }).stdout.trim();
  if (!lookup()) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', MAIL_USER], { encoding: 'utf8' });
    if (created.status !== 0 && !lookup()) throw new Error(`cannot create the ${MAIL_USER} user: ${created.stderr}`);
  }
  const [, , uid, gid] = lookup().split(':');
  return { uid: Number(uid), gid: Number(gid), name: MAIL_USER };
}

function groupName(): string {
  return spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
}

/** A port nothing listens on right now (the OS picks it), for servers the tests and benchmarks start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls the port until the service greets (Dovecot binds in the master, then forks login processes). */
async function waitForGreeting(port: number, greeting: string, gone: AbortSignal, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await greets(port, greeting)) return;
    if (gone.aborted) return; // the process died: the caller reports why
    if (Date.now() > deadline) throw new Error(`no ${greeting} greeting on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function greets(port: number, greeting: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) done(text.startsWith(greeting));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

function readLog(logPath: string): string {
  try {
    return fs.readFileSync(logPath, 'utf8');
  } catch {
    return '';
  }
}
