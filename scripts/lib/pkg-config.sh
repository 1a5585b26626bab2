#!/bin/sh
# The pkg-config that cargo's build scripts call (.cargo/config.toml sets PKG_CONFIG to
# this file): the machine's pkg-config, and when it fails on libturbojpeg, the one
# command that fixes it. The CLI links the system's libjpeg-turbo (turbojpeg-sys, through
# pkg-config); without libturbojpeg0-dev the build would stop on an error that does
# not name the package to install.
if command -v pkg-config >/dev/null 2>&1; then
  pkg-config "$@" && exit 0
  rc=$?
else
  echo "pkg-config is not installed." >&2
  rc=127
fi
case " $* " in
  *" libturbojpeg "*)
    cat >&2 <<'HINT'

daynight's command line decodes JPEGs with libjpeg-turbo: its development files
(libturbojpeg.pc, turbojpeg.h, the library) are missing on this machine.
Install what the command line needs with:

    scripts/setup.sh cli

or by hand on Debian/Ubuntu:  sudo apt-get install pkg-config libturbojpeg0-dev
(Fedora: dnf install pkgconf turbojpeg-devel; macOS: brew install pkg-config jpeg-turbo)
HINT
    ;;
esac
exit "$rc"
