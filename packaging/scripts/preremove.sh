#!/bin/sh
# preremove: stop the service and its syncd@NAME instances when the package
# is removed (not upgraded).
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl disable --now syncd.socket syncd.service || true
	# The agencies' instances (syncd@NAME): stop the running ones (a pattern
	# matches loaded units only) and disable each enabled one by name.
	systemctl stop 'syncd@*.socket' 'syncd@*.service' || true
	for link in /etc/systemd/system/*.wants/syncd@?*.service /etc/systemd/system/*.wants/syncd@?*.socket; do
		[ -e "$link" ] || [ -L "$link" ] || continue
		systemctl disable "$(basename "$link")" || true
	done
fi
