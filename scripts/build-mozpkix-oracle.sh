#!/usr/bin/env bash
# Builds the mozilla::pkix oracle (docs/TESTING.md): lib/mozpkix/ of Debian's `nss` source package,
# compiled with our driver Tests/MozpkixOracle/oracle.cpp and linked with the system NSS, into
# .build-mozpkix/mozpkix-oracle. Nothing of NSS is committed: the source comes from the machine's
# Debian mirror (`apt-get source`) into .build-mozpkix/src. Each step is skipped when its output
# is already there and up to date, so a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${MOZPKIX_BUILD:-.build-mozpkix}
src=$out/src
driver=Tests/MozpkixOracle/oracle.cpp
oracle=$out/mozpkix-oracle
# What VerifyEncodedOCSPResponse and the TLS Feature checks reach (pkixbuild, pkixnames and pkixc
# are path building, name matching and the C API: not needed).
units=(pkixocsp pkixder pkixcheck pkixcert pkixverify pkixnss pkixresult pkixtime)

say() { echo "build-mozpkix-oracle: $*" >&2; }
as_root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

# 1. Tools and headers.
need=()
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ -f /usr/include/nss/nss.h ] || need+=(libnss3-dev)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
if [ ${#need[@]} -gt 0 ]; then
  if as_root; then
    say "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    say "missing ${need[*]}; run: sudo apt-get install -y ${need[*]}"
    exit 1
  fi
fi

# 2. The source package (only the orig tarball is used).
find_orig() { find "$src" -maxdepth 1 -name 'nss_*.orig.tar.*' ! -name '*.asc' 2>/dev/null | sort | tail -1; }

has_deb_src() {
  grep -qsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources
}

# A deb-src entry for each of the machine's own Debian suites: its deb822 stanzas (or its
# one-line entries) with `deb` turned into `deb-src`.
add_deb_src() {
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      >/etc/apt/sources.list.d/mozpkix-oracle-src.sources
    say "added /etc/apt/sources.list.d/mozpkix-oracle-src.sources (from debian.sources)"
  elif grep -qsE '^deb[[:space:]]' /etc/apt/sources.list; then
    sed -nE 's/^deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list >/etc/apt/sources.list.d/mozpkix-oracle-src.list
    say "added /etc/apt/sources.list.d/mozpkix-oracle-src.list (from sources.list)"
  else
    say "no deb-src entry, and neither debian.sources nor sources.list to derive one from"
    exit 1
  fi
}

fetch_source() {
  # The source of the installed libnss3-dev first, so that the mozpkix code matches the headers;
  # any version the mirror has otherwise.
  local version
  version=$(dpkg-query -W -f='${source:Version}' libnss3-dev 2>/dev/null || true)
  (cd "$src" && { [ -n "$version" ] && apt-get source --download-only "nss=$version"; } >get.log 2>&1) ||
    [ -n "$(find_orig)" ] ||
    (cd "$src" && apt-get source --download-only nss >>get.log 2>&1) ||
    true
}

mkdir -p "$src"
if [ -z "$(find_orig)" ]; then
  if ! has_deb_src; then
    as_root || {
      say "no deb-src entry in /etc/apt; add one for your suites (as root: rerun this script)"
      exit 1
    }
    add_deb_src
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  fi
  say "fetching the nss source package into $src"
  fetch_source
  if [ -z "$(find_orig)" ] && as_root; then
    # deb-src present but its index never fetched.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    fetch_source
  fi
  # The Debian tarball may fail (a mirror without it answers 404); the orig tarball is enough.
  [ -n "$(find_orig)" ] || {
    say "apt-get source nss brought no orig tarball:"
    cat "$src/get.log" >&2
    exit 1
  }
fi
orig=$(find_orig)
upstream=$(basename "$orig" | sed -E 's/^nss_([^-]+)\.orig\.tar\..*$/\1/')
tree=$src/nss-$upstream/nss

# 3. The files needed, from the orig tarball.
if [ ! -f "$tree/lib/mozpkix/lib/pkixocsp.cpp" ] || [ ! -f "$tree/cpputil/nss_scoped_ptrs.h" ]; then
  say "extracting lib/mozpkix and cpputil/nss_scoped_ptrs.h from $(basename "$orig")"
  tar -xf "$orig" -C "$src" --wildcards "nss-$upstream/nss/lib/mozpkix/*" "nss-$upstream/nss/cpputil/nss_scoped_ptrs.h"
fi
installed=$(dpkg-query -W -f='${Version}' libnss3-dev 2>/dev/null || echo unknown)
case "$installed" in
  *"$upstream"*) ;;
  *) say "note: mozpkix $upstream against libnss3-dev $installed" ;;
esac

# 4. Headers as the sources include them: mozpkix/<name>.h.
include=$out/include/mozpkix
mkdir -p "$include"
for h in "$tree"/lib/mozpkix/include/pkix/*.h "$tree/cpputil/nss_scoped_ptrs.h"; do
  [ "$include/$(basename "$h")" -nt "$h" ] || cp -p "$h" "$include/"
done

# 5. mozpkix, one object per unit; 6. the driver, linked.
read -r -a cflags <<<"$(pkg-config --cflags nss)"
read -r -a libs <<<"$(pkg-config --libs nss)"
cxx=(g++ -std=c++17 -O2 -I"$out/include" "${cflags[@]}")
obj=$out/obj-$upstream
mkdir -p "$obj"
objects=()
for u in "${units[@]}"; do
  o=$obj/$u.o
  objects+=("$o")
  if [ ! "$o" -nt "$tree/lib/mozpkix/lib/$u.cpp" ]; then
    say "compiling $u.cpp"
    "${cxx[@]}" -w -c "$tree/lib/mozpkix/lib/$u.cpp" -o "$o"
  fi
done
stale=false
[ -x "$oracle" ] || stale=true
for input in "$driver" "${objects[@]}"; do
  [ "$oracle" -nt "$input" ] || stale=true
done
if $stale; then
  say "compiling and linking $driver"
  "${cxx[@]}" -Wall -Wextra -Werror "$driver" "${objects[@]}" "${libs[@]}" -o "$oracle.tmp"
  mv "$oracle.tmp" "$oracle"
fi

# 7. It answers.
answer=$(echo "tls-cert - 0" | "$oracle")
[ "${answer%% *}" = "result=ERROR_BAD_DER" ] || {
  say "$oracle answers '$answer' to an empty certificate"
  exit 1
}
say "$oracle (mozpkix from nss $upstream) is ready"
