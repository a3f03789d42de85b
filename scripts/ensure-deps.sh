#!/usr/bin/env bash
# Installs what the build and the tests need, or says exactly which command would.
# Called by `make test`, `make run`, `make firefox` and .ci/run. Debian packages only (the machine's registry).
set -euo pipefail

need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
for extra in "$@"; do
  case "$extra" in
    nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx) ;;
    prometheus) command -v prometheus >/dev/null 2>&1 || need+=(prometheus) ;;
    firefox)
      command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)
      command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools) ;;
    *) need+=("$extra") ;;
  esac
done

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "ensure-deps: missing ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
