#!/bin/sh
# preremove: stop the service when the package is removed (not upgraded).
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl disable --now syncd.socket syncd.service || true
fi
