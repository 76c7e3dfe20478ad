#!/bin/sh
# .ci/deps.sh PKG... - install the Debian packages that are missing.
# Used by "make run" and "make check"; does nothing when all are there.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "deps: need root (or sudo) to install:$missing" >&2
	exit 69
fi
$SUDO apt-get update -qq || exit 69
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null || exit 69
