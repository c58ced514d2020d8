#!/usr/bin/env bash
# Installs CampusEdge on Raspberry Pi OS / Debian without the .deb (the package is preferred:
# apt install ./campus-edge_VERSION_all.deb). Safe to run again: it changes only what differs.
#
#   sudo ./install.sh [--jar FILE]          install or upgrade, enable and start the service; an
#                                           upgrade backs up the journal, keeps the old version
#                                           and goes back to it if the new one is not healthy
#                                           (bin/campus-edge-upgrade does that part)
#   ./install.sh --dry-run                  print every action, change nothing
#   ./install.sh --root DIR                 install into a staging root (no user, no systemctl)
#   sudo ./install.sh --uninstall [--purge] remove the program; --purge also removes
#                                           /etc/campus-edge, the journal in /var/lib/campus-edge
#                                           and the campus-edge user
#   --no-start                              install and enable, but do not (re)start
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prog="install.sh"

dry_run=0
root=""
action=install
purge=0
start=1
jar=""

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
  echo "$prog: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --root)
      [ $# -ge 2 ] || die "--root needs a folder"
      root="${2%/}"
      shift
      ;;
    --root=*) root="${1#--root=}"; root="${root%/}" ;;
    --jar)
      [ $# -ge 2 ] || die "--jar needs a file"
      jar="$2"
      shift
      ;;
    --uninstall) action=uninstall ;;
    --purge) purge=1 ;;
    --no-start) start=0 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[ "$purge" -eq 0 ] || [ "$action" = uninstall ] || die "--purge goes with --uninstall"

user=campus-edge
# Where the jar lay before versioned installs (and where the package keeps its copy): only removed.
share="$root/usr/share/campus-edge"
versions="$root/opt/campus-edge"
upgrade="$root/usr/sbin/campus-edge-upgrade"
doc="$root/usr/share/doc/campus-edge"
bin="$root/usr/bin/campus-edge"
unit="$root/lib/systemd/system/campus-edge.service"
rules="$root/etc/udev/rules.d/99-campus-edge.rules"
etc="$root/etc/campus-edge"
data="$root/var/lib/campus-edge"

# Every change goes through run: printed always, carried out unless --dry-run.
run() {
  echo "+ $*"
  if [ "$dry_run" -eq 0 ]; then
    "$@"
  fi
}

# Things that only make sense on the live system (users, ownership, systemd, udev).
live() {
  if [ -n "$root" ]; then
    echo "- skipped in staging root: $*"
  else
    run "$@"
  fi
}

# install FILE to DEST with MODE unless DEST already has the same content and mode.
put() {
  local mode="$1" src="$2" dest="$3"
  if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then
    echo "= $dest unchanged"
    return
  fi
  run install -D -m "$mode" "$src" "$dest"
}

# A configuration file: installed once, never overwritten (local edits win).
put_config() {
  local mode="$1" src="$2" dest="$3"
  if [ -e "$dest" ]; then
    echo "= $dest kept (local configuration)"
    return
  fi
  run install -D -m "$mode" "$src" "$dest"
}

ensure_dir() {
  local mode="$1" owner="$2" dir="$3"
  if [ ! -d "$dir" ]; then
    run install -d -m "$mode" "$dir"
  elif [ "$(stat -c %a "$dir")" != "${mode#0}" ]; then
    run chmod "$mode" "$dir"
  fi
  live chown "$owner" "$dir"
}

find_jar() {
  if [ -n "$jar" ]; then
    [ -f "$jar" ] || die "no jar at $jar"
    return
  fi
  for candidate in "$here/campus-edge.jar" "$here/../edge-agent/target/campus-edge.jar"; do
    if [ -f "$candidate" ]; then
      jar="$candidate"
      return
    fi
  done
  die "campus-edge.jar not found next to install.sh or in edge-agent/target (build it: mvn -B -DskipTests package, or pass --jar FILE)"
}

ensure_user() {
  if [ -n "$root" ]; then
    echo "- skipped in staging root: system user $user (groups dialout, gpio)"
    return
  fi
  if ! getent group gpio >/dev/null; then
    # The unit lists gpio as a supplementary group; systemd refuses to start without it.
    run groupadd --system gpio
  fi
  if ! getent passwd "$user" >/dev/null; then
    run useradd --system --user-group --home-dir /var/lib/campus-edge --no-create-home \
      --shell /usr/sbin/nologin --comment "CampusEdge agent" "$user"
  fi
  local g
  for g in dialout gpio; do
    if getent group "$g" >/dev/null && ! id -nG "$user" 2>/dev/null | tr ' ' '\n' | grep -qx "$g"; then
      run usermod --append --groups "$g" "$user"
    fi
  done
}
# Secrets (tokens, keys, password files, the dashboard's users file) in /etc/campus-edge: readable by the agent only.
# Secrets (tokens, keys, password files) in /etc/campus-edge: readable by the agent only.
protect_secrets() {
  local f
  while IFS= read -r -d '' f; do
    if [ "$(stat -c %a "$f")" != 600 ]; then
      run chmod 0600 "$f"
    fi
    live chown "$user:$user" "$f"
  done < <(find "$etc" -type f \( -name '*.token' -o -name '*.key' -o -name '*.pw' -o -name '*.pem' -o -name 'users' \) -print0 2>/dev/null)
}

do_install() {
  find_jar
  if [ -z "$root" ] && [ "$dry_run" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo), or use --dry-run / --root DIR"
  fi
  if [ -z "$root" ] && ! command -v java >/dev/null; then
    echo "$prog: warning: no java on PATH; install a Java 17 runtime: apt install openjdk-17-jre-headless" >&2
  fi
  ensure_user
  put 0755 "$here/bin/campus-edge" "$bin"
  put 0755 "$here/bin/campus-edge-upgrade" "$upgrade"
  put 0644 "$here/systemd/campus-edge.service" "$unit"
  put_config 0644 "$here/udev/99-campus-edge.rules" "$rules"
  put 0644 "$here/config/agent.example.yaml" "$doc/examples/agent.example.yaml"
  put 0644 "$here/config/datacenter.example.yaml" "$doc/examples/datacenter.example.yaml"
  ensure_dir 0750 "root:$user" "$etc"
  put_config 0640 "$here/config/agent.yaml" "$etc/agent.yaml"
  live chown "root:$user" "$etc/agent.yaml"
  ensure_dir 0700 "$user:$user" "$etc/keys"
  protect_secrets
  ensure_dir 0750 "$user:$user" "$data"
  live udevadm control --reload
  live udevadm trigger --subsystem-match=tty --subsystem-match=gpio
  live systemctl daemon-reload
  live systemctl enable campus-edge.service
  # The jar goes to /opt/campus-edge/versions/<version>, and the service starts only with a
  # configuration that passes `campus-edge config check`; an upgrade can roll back.
  local options=()
  [ -z "$root" ] || options+=(--root "$root")
  [ "$dry_run" -eq 0 ] || options+=(--dry-run)
  [ "$start" -eq 1 ] || options+=(--no-start)
  bash "$here/bin/campus-edge-upgrade" "${options[@]}" "$jar" || {
    local rc=$?
    echo "$prog: installed, but the upgrade step ended with exit $rc (see above)" >&2
    exit "$rc"
  }
  echo "$prog: done. Configuration: $etc/agent.yaml; journal: $data; status: systemctl status campus-edge"
}

remove() {
  local f
  for f in "$@"; do
    if [ -e "$f" ] || [ -L "$f" ]; then
      run rm -rf -- "$f"
    fi
  done
}

do_uninstall() {
  if [ -z "$root" ] && [ "$dry_run" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo), or use --dry-run / --root DIR"
  fi
  if [ -z "$root" ] && [ -e "$unit" ]; then
    run systemctl disable --now campus-edge.service
  fi
  remove "$unit" "$bin" "$upgrade" "$versions" "$share" "$doc"
  live systemctl daemon-reload
  if [ "$purge" -eq 1 ]; then
    remove "$rules" "$etc" "$data"
    if [ -z "$root" ] && getent passwd "$user" >/dev/null; then
      run userdel "$user"
    fi
    echo "$prog: removed, with configuration, journal and user"
  else
    echo "$prog: removed; kept $etc, $data and $rules (--uninstall --purge removes them)"
  fi
}

if [ -n "$root" ] && [ "$dry_run" -eq 0 ]; then
  mkdir -p "$root"
fi
case "$action" in
  install) do_install ;;
  uninstall) do_uninstall ;;
esac
