#!/usr/bin/env bash
# Makes sure what the test suite talks to is installed and running: MariaDB on 127.0.0.1:3306
# (root, no password), Dovecot (IMAP + POP3; each test file starts its own, see test/support/dovecot.ts)
# and Debian's chromium for the browser tests. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

mariadb_up() { mysqladmin --protocol=tcp -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; }

if [ -z "${TEST_MARIADB_URL:-}" ] && ! mariadb_up; then
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    echo "MariaDB is not installed: installing mariadb-server" >&2
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server
  fi
  echo "MariaDB is not answering on 127.0.0.1:3306: starting it" >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mariadb_up && break; sleep 1; done
  mariadb_up || { echo "MariaDB did not come up within 60 s" >&2; exit 1; }
fi

# Dovecot: installed only. The package's own service start is refused in containers, which is harmless:
# test/support/dovecot.ts runs a private instance per test file on free loopback ports.
if [ ! -x /usr/sbin/dovecot ] || [ ! -x /usr/lib/dovecot/pop3 ]; then
  echo "Dovecot is not installed: installing dovecot-imapd and dovecot-pop3d" >&2
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd dovecot-pop3d
fi
# Dovecot's mail processes refuse to run as root: as root, the test maildirs belong to this unprivileged user
# (as a normal user the harness runs everything as that user instead).
if [ "$(id -u)" = 0 ] && ! getent passwd vmail >/dev/null; then
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vmail
fi

bash scripts/install-chromium.sh
