#!/bin/sh
# postinstall: create the syncd user and directories, let the daemon read its
# config, and restart it and the agencies' syncd@NAME instances on upgrade if
# they were running. A fresh install is left stopped and disabled until the
# operator has configured it.
set -e
if [ "$1" = configure ] || [ "$1" = "" ]; then
	systemd-sysusers /usr/lib/sysusers.d/syncd.conf
	systemd-tmpfiles --create /usr/lib/tmpfiles.d/syncd.conf
	chgrp syncd /etc/syncd/syncd.yaml
	chmod 0640 /etc/syncd/syncd.yaml
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload
		# $2 is the version upgraded from; empty on a first install.
		if [ -n "${2:-}" ]; then
			# and every agency's instance (syncd@NAME) that runs
			systemctl try-restart syncd.service 'syncd@*.service'
		fi
	fi
fi
