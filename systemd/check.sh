#!/bin/sh
# check.sh: CI gate for the unit files in this directory.
#
#   1. systemd-analyze verify on syncd.service and syncd.socket, and on the
#      templates syncd@.service and syncd@.socket as the instance
#      syncd@example (its socket given a ListenStream= in a drop-in, as the
#      README tells the operator to): ANY output (even a warning it exits 0
#      on, like "Invalid syntax, ignoring") fails.
#   2. systemd-analyze security --offline=true on syncd.service and on
#      syncd@example.service: each "Overall exposure level" must be
#      <= THRESHOLD (default 2.0, "OK").
#   3. syncd.sysusers and syncd.tmpfiles are applied to a scratch root with
#      systemd-sysusers/systemd-tmpfiles --root and the resulting accounts,
#      owners and modes are checked (needs root to chown; skipped otherwise).
#
# verify insists that ExecStart's and ExecReload's binary exists; /usr/bin/syncd
# is not installed on a CI machine, so the unit is verified from a scratch copy
# whose ExecStart and ExecReload point at a stub executable. Only that path differs.
#
# Usage: systemd/check.sh            (from anywhere; exits non-zero on failure)
#        THRESHOLD=1.5 systemd/check.sh
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
threshold=${THRESHOLD:-2.0}
fail=0

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "check.sh: systemd-analyze missing, installing systemd" >&2
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
	else
		echo "check.sh: cannot install systemd (not root or no apt-get)" >&2
		exit 2
	fi
fi
echo "check.sh: $(systemd-analyze --version | head -n 1)"

# The scratch directory's path goes into the units' ExecStart= and into sed
# expressions: where TMPDIR's would need quoting there (a space, a quote, a
# parenthesis, a letter not ASCII: TMPDIR under /home/Søren Ærø/tmp), it is
# made in /tmp instead.
case ${TMPDIR:-/tmp} in
*[!A-Za-z0-9/._-]*) scratch=$(TMPDIR=/tmp mktemp -d) ;;
*) scratch=$(mktemp -d) ;;
esac
trap 'rm -rf "$scratch"' EXIT INT TERM

# 1. verify
printf '#!/bin/sh\nexit 0\n' >"$scratch/syncd"
chmod 0755 "$scratch/syncd"
for unit in syncd.service syncd@.service; do
	sed "s#^\(Exec[A-Za-z]*\)=/usr/bin/syncd #\1=$scratch/syncd #" \
		"$here/$unit" >"$scratch/$unit"
	for exec in ExecStart ExecReload; do
		if ! grep -q "^$exec=$scratch/syncd " "$scratch/$unit"; then
			echo "FAIL verify: $exec=/usr/bin/syncd ... not found in $unit" >&2
			fail=1
		fi
	done
done
cp "$here/syncd.socket" "$here/syncd@.socket" "$scratch/"
# An instance's socket has its address from a drop-in (README); verify
# reads drop-ins beside the unit files it is given.
mkdir "$scratch/syncd@example.socket.d"
printf '[Socket]\nListenStream=127.0.0.1:8081\n' >"$scratch/syncd@example.socket.d/listen.conf"
out=$(cd "$scratch" && systemd-analyze verify --man=no \
	"$scratch/syncd.service" "$scratch/syncd.socket" \
	"$scratch/syncd@example.service" "$scratch/syncd@example.socket" 2>&1) || {
	echo "FAIL verify: systemd-analyze verify exited non-zero" >&2
	fail=1
}
if [ -n "$out" ]; then
	echo "FAIL verify: systemd-analyze verify printed:" >&2
	printf '%s\n' "$out" | sed "s#$scratch/#systemd/#g" >&2
	fail=1
else
	echo "ok   verify: syncd.service syncd.socket syncd@example.service syncd@example.socket"
fi

# 2. security (the template as an instance: the scratch copy verify used)
for unit in "$here/syncd.service" "$scratch/syncd@example.service"; do
	name=$(basename "$unit")
	report=$(cd "$scratch" && systemd-analyze security --offline=true --no-pager "$unit" 2>&1) || true
	level=$(printf '%s\n' "$report" |
		sed -n "s/.*Overall exposure level for $name: \([0-9][0-9]*\.[0-9]\).*/\1/p")
	if [ -z "$level" ]; then
		echo "FAIL security: no \"Overall exposure level\" line for $name in:" >&2
		printf '%s\n' "$report" >&2
		fail=1
	elif awk -v l="$level" -v t="$threshold" 'BEGIN { exit !(l > t) }'; then
		echo "FAIL security: $name exposure $level > $threshold; failing checks:" >&2
		printf '%s\n' "$report" | grep '✗' >&2 || true
		fail=1
	else
		echo "ok   security: $name exposure $level <= $threshold"
	fi
done

# 3. sysusers + tmpfiles in a scratch root
if [ "$(id -u)" != 0 ]; then
	echo "skip sysusers/tmpfiles: needs root to create owned directories"
else
	root="$scratch/root"
	mkdir -p "$root/etc/sysusers.d" "$root/etc/tmpfiles.d"
	cp "$here/syncd.sysusers" "$root/etc/sysusers.d/syncd.conf"
	cp "$here/syncd.tmpfiles" "$root/etc/tmpfiles.d/syncd.conf"
	if ! out=$(systemd-sysusers --root="$root" 2>&1); then
		echo "FAIL sysusers: $out" >&2
		fail=1
	elif ! out=$(systemd-tmpfiles --root="$root" --create 2>&1); then
		echo "FAIL tmpfiles: $out" >&2
		fail=1
	else
		got=$(
			uid=$(awk -F: '$1 == "syncd" { print $3 }' "$root/etc/passwd")
			gid=$(awk -F: '$1 == "syncd" { print $3 }' "$root/etc/group")
			rgid=$(awk -F: '$1 == "syncd-reports" { print $3 }' "$root/etc/group")
			shell=$(awk -F: '$1 == "syncd" { print $7 }' "$root/etc/passwd")
			[ "$uid" -lt 1000 ] && echo "syncd system user" || echo "syncd uid $uid is not a system uid"
			[ "$shell" = /usr/sbin/nologin ] && echo "nologin" || echo "shell $shell"
			stat -c '%a %u %g' "$root/var/lib/syncd" | sed "s/ $uid $gid\$/ syncd syncd/"
			stat -c '%a %u %g' "$root/var/lib/syncd/reports" | sed "s/ $uid $rgid\$/ syncd syncd-reports/"
		)
		want="syncd system user
nologin
751 syncd syncd
2750 syncd syncd-reports"
		if [ "$got" = "$want" ]; then
			echo "ok   sysusers/tmpfiles: syncd, syncd-reports, /var/lib/syncd 0751, reports 2750"
		else
			echo "FAIL sysusers/tmpfiles: got" >&2
			printf '%s\n' "$got" >&2
			echo "want" >&2
			printf '%s\n' "$want" >&2
			fail=1
		fi
	fi
fi

if [ "$fail" != 0 ]; then
	echo "check.sh: FAILED" >&2
	exit 1
fi
echo "check.sh: all unit checks passed"
