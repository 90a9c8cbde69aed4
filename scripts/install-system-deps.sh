#!/bin/sh
# Install libnotmuch (with headers, so the notmuch2 bindings build), the
# notmuch command, tmux (the end-to-end tests drive kreview in a real
# terminal) and public-inbox (the archive tests run a real public-inbox-httpd;
# Debian's package brings Xapian's perl bindings for its search) from the
# system's package manager, when they are missing.
set -eu

have_libnotmuch() {
    # Headers are what notmuch2's build needs; the shared library comes with them.
    for dir in /usr/include /usr/local/include /opt/homebrew/include; do
        [ -f "$dir/notmuch.h" ] && return 0
    done
    return 1
}

need=""
have_libnotmuch || need="libnotmuch"
command -v notmuch >/dev/null 2>&1 || need="$need notmuch"
command -v tmux >/dev/null 2>&1 || need="$need tmux"
command -v public-inbox-httpd >/dev/null 2>&1 || need="$need public-inbox"
[ -z "$need" ] && exit 0

echo "Installing system packages for:$need"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "Need root to install packages and sudo is not available." >&2
        echo "Please install: libnotmuch-dev notmuch tmux public-inbox (Debian/Ubuntu names)." >&2
        exit 1
    fi
fi

if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libnotmuch-dev notmuch tmux public-inbox
elif command -v dnf >/dev/null 2>&1; then
    $SUDO dnf install -y notmuch-devel notmuch tmux public-inbox
elif command -v brew >/dev/null 2>&1; then
    brew install notmuch tmux
    # Homebrew has no public-inbox formula: the archive tests need it from
    # https://public-inbox.org/public-inbox.git (perl Makefile.PL && make install).
    command -v public-inbox-httpd >/dev/null 2>&1 || echo "Install public-inbox from https://public-inbox.org/ for the archive tests." >&2
else
    echo "No supported package manager (apt-get, dnf, brew) found." >&2
    echo "Please install libnotmuch with its headers (libnotmuch-dev / notmuch-devel), notmuch, tmux and public-inbox." >&2
    exit 1
fi
