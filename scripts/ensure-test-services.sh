#!/usr/bin/env bash
# Makes sure what the test suite talks to is installed and running: MariaDB on 127.0.0.1:3306
# (root, no password), Dovecot (IMAP + POP3; each test file starts its own, see test/support/dovecot.ts),
# redis-server (installed only; each test file starts its own, see test/support/redis-server.ts) and Debian's
# chromium for the browser tests. Safe to run again and again.
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

# Redis: the binary only. Tests start private servers on free ports (test/support/redis-server.ts) and restart
# them mid-test; the system Redis is neither needed nor started here.
if [ ! -x /usr/bin/redis-server ]; then
  echo "Redis is not installed: installing redis-server" >&2
  # policy-rc.d answering 101 keeps the package's maintainer scripts from starting the system service.
  no_start=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && no_start=1
  fi
  status=0
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server; } || status=$?
  if [ -n "$no_start" ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$status" = 0 ] || exit "$status"
fi

bash scripts/install-chromium.sh
