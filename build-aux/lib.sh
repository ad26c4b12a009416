# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared by build-aux/test, bench, screenshots and run (source it; it runs nothing itself).
#
#   ak_configure DIR [MESON_OPTION...]
#       meson setup DIR, or reconfigure it when it exists (wiping it when reconfiguring fails).
#
#   ak_headless [--timeout SECONDS] [--screen WxHxDEPTH] [--keyring PASSWORD | --no-keyring]
#               -- COMMAND [ARG...]
#       Runs COMMAND with nothing of the desktop session: a fresh HOME and runtime directory,
#       a private D-Bus session (dbus-run-session must be the outer one: xvfb-run alone lets
#       GLib autolaunch a bus, and gnome-keyring then waits forever on a password prompt),
#       a throwaway gnome-keyring unlocked with PASSWORD (unless --no-keyring) and Xvfb.
#       Returns COMMAND's status; 124 or 137 when the time limit killed it.

ak_root=${ak_root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

ak_configure () {
  local dir=$1
  shift
  if [[ -f "$dir/meson-private/coredata.dat" ]]; then
    meson setup --reconfigure "$dir" "$ak_root" "$@" \
      || meson setup --wipe "$dir" "$ak_root" "$@"
  else
    meson setup "$dir" "$ak_root" "$@"
  fi
}

ak_headless () {
  local limit=0 screen=1280x800x24 keyring=ak-test-keyring-password
  local home runtime status
  local -a limiter=()
  while (( $# > 0 )); do
    case "$1" in
      --timeout) limit=$2; shift 2 ;;
      --screen) screen=$2; shift 2 ;;
      --keyring) keyring=$2; shift 2 ;;
      --no-keyring) keyring=; shift ;;
      --) shift; break ;;
      *) echo "ak_headless: unknown option $1" >&2; return 2 ;;
    esac
  done
  home=$(mktemp -d "${TMPDIR:-/tmp}/ak-home.XXXXXX") || return 1
  runtime=$(mktemp -d "${TMPDIR:-/tmp}/ak-runtime.XXXXXX") || { rm -rf "$home"; return 1; }
  chmod 700 "$runtime"
  # No blinking cursor: under a slow instrumented run its timer can fire after a text field
  # lost focus, and GTK's warning about it ("did not receive a focus-out event") is fatal.
  mkdir -p "$home/.config/gtk-4.0"
  printf '[Settings]\ngtk-cursor-blink=false\n' > "$home/.config/gtk-4.0/settings.ini"
  if (( limit > 0 )); then
    limiter=(timeout --kill-after=20 "$limit")
  fi
  env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
      -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_STATE_HOME \
      -u GNOME_KEYRING_CONTROL -u SSH_AUTH_SOCK \
      HOME="$home" XDG_RUNTIME_DIR="$runtime" \
      AK_HEADLESS_KEYRING="$keyring" AK_HEADLESS_SCREEN="$screen" \
    "${limiter[@]}" dbus-run-session -- sh -c '
      if [ -n "$AK_HEADLESS_KEYRING" ]; then
        printf %s "$AK_HEADLESS_KEYRING" \
          | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      fi
      screen=$AK_HEADLESS_SCREEN
      unset AK_HEADLESS_KEYRING AK_HEADLESS_SCREEN
      exec xvfb-run -a -s "-screen 0 $screen" "$@"' sh "$@"
  status=$?
  # Daemons of the session may still be writing there as they exit.
  rm -rf "$home" "$runtime" 2>/dev/null || true
  return "$status"
}
