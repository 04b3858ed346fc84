#!/bin/sh
# preremove: stop and disable the service and its syncd@NAME instances when
# the package is removed (not upgraded), through init-system-helpers as
# Debian policy asks of maintainer scripts (deb-systemd-invoke asks
# policy-rc.d first).
set -e
if [ "$1" = remove ]; then
	if [ -d /run/systemd/system ]; then
		# The agencies' instances (syncd@NAME) too: systemctl matches a
		# pattern against the loaded units, so the running ones stop.
		deb-systemd-invoke stop syncd.socket syncd.service 'syncd@*.socket' 'syncd@*.service' || true
	fi
	# The install links postinst recorded (update-state), which
	# systemctl enable made.
	deb-systemd-helper disable syncd.socket syncd.service >/dev/null || true
	# Each enabled instance by name: deb-systemd-helper reads a unit's
	# [Install] from its file, which an instance (syncd@NAME.service, of the
	# template syncd@.service) has none of, so its links are removed here, as
	# systemctl disable would (the units' only install links are WantedBy=);
	# postrm's daemon-reload makes systemd see it.
	for link in /etc/systemd/system/*.wants/syncd@?*.service /etc/systemd/system/*.wants/syncd@?*.socket; do
		[ -L "$link" ] || continue
		rm -f "$link"
	done
fi
