#!/bin/sh
# postremove: forget the removed units. /var/lib/syncd (database, reports)
# and the syncd user are kept on purpose, even on purge: delete them by hand.
# A purge forgets deb-systemd-helper's record of the units' install links.
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
fi
if [ "$1" = purge ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper purge syncd.socket syncd.service >/dev/null || true
fi
