#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser/*) if it is missing.
# playwright-core is pinned to 1.64.1, the release that drives Debian's chromium 156.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
# Without CJK fonts, demo names such as 東京テクノロジー render as empty boxes in screenshots;
# these two are the CJK fonts Playwright's own install-deps picks for Debian.
if ! fc-list :lang=ja 2>/dev/null | grep -q .; then packages+=(fonts-ipafont-gothic fonts-wqy-zenhei); fi
[ ${#packages[@]} -gt 0 ] || exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

install() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"; }

# A fresh container has empty package lists; refresh them only when chromium is unknown,
# or when the install fails because stale lists point at versions the mirror dropped.
if ! apt-cache show chromium >/dev/null 2>&1; then
  $SUDO apt-get update
  install
elif ! install; then
  $SUDO apt-get update
  install
fi
