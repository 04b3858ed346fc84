#!/bin/sh
# postremove: forget the removed units. /var/lib/syncd (database, reports)
# and the syncd user are kept on purpose, even on purge: delete them by hand.
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
fi
