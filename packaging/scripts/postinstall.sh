#!/bin/sh
# postinstall: create the syncd user and directories, let the daemon read its
# config (if it is there), and restart it and the agencies' syncd@NAME instances on upgrade if
# they were running. A fresh install is left stopped and disabled until the
# operator has configured it.
#
# Units are handled through init-system-helpers, as Debian policy asks of
# maintainer scripts (much as dh_installsystemd --no-enable --no-start
# --restart-after-upgrade would write them): deb-systemd-invoke asks
# policy-rc.d first (a chroot or an image build may forbid it), and
# deb-systemd-helper records syncd.service's and syncd.socket's install links
# without making them, so that removal can take away the links the operator
# makes with systemctl enable.
set -e
if [ "$1" = configure ] || [ "$1" = "" ]; then
	systemd-sysusers /usr/lib/sysusers.d/syncd.conf
	systemd-tmpfiles --create /usr/lib/tmpfiles.d/syncd.conf
	# The example configuration, a conffile, may be gone: an operator who
	# serves only syncd@NAME instances removes it or moves it to NAME.yaml,
	# and dpkg does not bring a removed conffile back on upgrade (set -e
	# would then end the upgrade here, the instances not restarted).
	if [ -f /etc/syncd/syncd.yaml ]; then
		chgrp syncd /etc/syncd/syncd.yaml
		chmod 0640 /etc/syncd/syncd.yaml
	fi
	deb-systemd-helper update-state syncd.service syncd.socket >/dev/null || true
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload
		# $2 is the version upgraded from; empty on a first install.
		if [ -n "${2:-}" ]; then
			# and every agency's instance (syncd@NAME) that runs: systemctl
			# matches the pattern against the loaded units.
			deb-systemd-invoke try-restart syncd.service 'syncd@*.service'
		fi
	fi
fi
