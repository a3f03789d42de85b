#!/usr/bin/env bash
# Fuzz/run.sh SECONDS — build the libFuzzer harnesses of the StapleVerifier engine, replay the
# committed regressions, then fuzz each target for SECONDS seconds (docs/FUZZING.md).
#
# Prints one line per target: "<target>: <execs> execs, <cov> cov, <ft> ft, crashes: N", plus the
# path of every reproducer written. Exits 1 if any target crashed (or a regression still crashes),
# 2 on a usage or build error.
set -uo pipefail
export LC_ALL=C

usage() { echo "usage: Fuzz/run.sh SECONDS   (seconds of fuzzing per target; 0 = build and replay only)" >&2; exit 2; }
[[ $# -eq 1 && $1 =~ ^[0-9]+$ ]] || usage
duration=$1

fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$fuzz_dir")
all_targets=(FuzzOCSPResponse FuzzTLSFeature FuzzVerifyStaple FuzzDifferentialOCSP)
# FUZZ_TARGETS="A B" fuzzes only those (a campaign on one target); the build and seeds are shared.
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "error: FUZZ_TARGETS: unknown target '$t'" >&2; exit 2; }
done
swift=${SWIFT:-swift}

# A Swift trap must reach libFuzzer's signal handler: Swift's own backtracer would take it first
# (and, non-interactive, still delay the exit by up to 30 s).
export SWIFT_BACKTRACE=enable=no
export FUZZ_TESTVECTORS="$root/TestVectors"

# ---- build ---------------------------------------------------------------------------------------
# - `--sanitize fuzzer` (SwiftPM's own flag) makes SwiftPM link libFuzzer's main and not rename the
#   entry point. With -Xswiftc flags alone it links each executable with
#   `--defsym main=<Target>_main`, a symbol -parse-as-library never emits, and the link fails.
# - `-Xswiftc -sanitize=fuzzer,address` as one flag: swiftc keeps only the last -sanitize= it is
#   given, so `--sanitize fuzzer --sanitize address` (which SwiftPM passes as two flags, in an order
#   that changes from one invocation to the next) leaves the Swift code with ASan or coverage, never
#   both.
# - `-enable-testing`: the harnesses reach the engine's parsers through `@testable import`; they
#   are not part of its public API.
# - `-Xcc`/`-Xcxx -fsanitize=address`: ASan for the C and C++ code too (BoringSSL).
# Everything lands in Fuzz/.build; the main package's .build is not touched.
build=("$swift" build -c release --package-path "$fuzz_dir" --sanitize fuzzer
       -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address -Xcxx -fsanitize=address
       -Xswiftc -parse-as-library -Xswiftc -enable-testing)
echo "== build: ${build[*]}"
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
if ! "${build[@]}" >"$build_log" 2>&1; then
    tail -40 "$build_log" >&2
    echo "error: the fuzz build failed" >&2
    exit 2
fi
bin=$("${build[@]}" --show-bin-path)

# The mozilla::pkix oracle (scripts/build-mozpkix-oracle.sh, as `make differential` builds it):
# FuzzDifferentialOCSP asks it about every input, FuzzVerifyStaple about every accepted staple.
if ! "$root/scripts/build-mozpkix-oracle.sh" >"$build_log" 2>&1; then
    tail -20 "$build_log" >&2
    echo "error: the mozpkix oracle did not build" >&2
    exit 2
fi
export MOZPKIX_ORACLE="$root/.build-mozpkix/mozpkix-oracle"

# ---- seed corpora --------------------------------------------------------------------------------
# Every staple of TestVectors for the two OCSP targets; for FuzzTLSFeature, TLS Feature values and
# every TestVectors certificate as DER. Seeds are named after their source, so re-adding is idempotent.
corpus="$fuzz_dir/corpus"
mkdir -p "${all_targets[@]/#/$corpus/}"
while IFS= read -r -d '' f; do
    name=seed-$(echo "${f#"$root/TestVectors/staples/"}" | tr / -)
    cp "$f" "$corpus/FuzzOCSPResponse/$name"
    cp "$f" "$corpus/FuzzVerifyStaple/$name"
done < <(find "$root/TestVectors/staples" -name '*.der' -print0)
tls="$corpus/FuzzTLSFeature"
printf '\x30\x03\x02\x01\x05' >"$tls/seed-tlsfeature-5"
printf '\x30\x06\x02\x01\x05\x02\x01\x11' >"$tls/seed-tlsfeature-5-17"
printf '\x30\x06\x02\x01\x05\x02\x01\x05' >"$tls/seed-tlsfeature-5-5"
printf '\x30\x03\x02\x01\x06' >"$tls/seed-tlsfeature-6"
printf '\x30\x04\x02\x02\x05\x05' >"$tls/seed-tlsfeature-0505"
printf '\x30\x02\x02\x00' >"$tls/seed-tlsfeature-int-empty"
printf '\x30\x00' >"$tls/seed-tlsfeature-empty-seq"
printf '\x02\x01\x05' >"$tls/seed-tlsfeature-not-seq"
while IFS= read -r -d '' pem; do
    # One DER file per certificate of the PEM file (chains hold several).
    base=seed-$(echo "${pem#"$root/TestVectors/pki/"}" | tr / - | sed 's/\.pem$//')
    awk -v out="$tls/$base" '
        /-----BEGIN CERTIFICATE-----/ { n++; body = ""; inside = 1; next }
        /-----END CERTIFICATE-----/   { print body > (out "-" n ".b64"); close(out "-" n ".b64"); inside = 0; next }
        inside { body = body $0 }' "$pem"
done < <(find "$root/TestVectors/pki" -name '*.pem' -print0)
for b64 in "$tls"/*.b64; do
    [[ -e $b64 ]] || continue
    base64 -d "$b64" >"${b64%.b64}.der" 2>/dev/null || rm -f "${b64%.b64}.der"
    rm -f "$b64"
done

# FuzzDifferentialOCSP writes its own: the corpus's tbsResponseData pointed at its PKI, and plans.
if ! ASAN_OPTIONS=detect_leaks=0 FUZZ_WRITE_SEEDS="$corpus/FuzzDifferentialOCSP" "$bin/FuzzDifferentialOCSP" \
        >"$build_log" 2>&1; then
    tail -5 "$build_log" >&2
    echo "error: FuzzDifferentialOCSP could not write its seeds" >&2
    exit 2
fi

# ---- regressions, then fuzzing -------------------------------------------------------------------
# Fork mode with -ignore_crashes: a crash (a known one included) ends one fuzzing job, not the run,
# so every target gets its SECONDS and every crash is counted. The last status line of the parent
# ("#<execs>: cov: C ft: F corp: … oom/timeout/crash: a/b/c …") holds the final numbers.
libfuzzer_flags=(-max_len=70000 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
failed=0
summary=()
# A reproducer's report, short: the sanitizer's or Swift's verdict, ASan's one-line summary, and
# the innermost frames of our engine and of swift-certificates (where the bytes entered a dependency).
report() {
    local out
    out=$(cat)
    grep -m2 -E 'Fatal error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' <<<"$out"
    grep -m1 -E '^SUMMARY:' <<<"$out"
    grep -m1 -E '^ *#[0-9]+ 0x[0-9a-f]+ in \$s4X509' <<<"$out"
    grep -m2 -E '^ *#[0-9]+ 0x[0-9a-f]+ in \$s14StapleVerifier' <<<"$out"
}
for t in "${targets[@]}"; do
    crashes=0
    # FuzzDifferentialOCSP makes its keys and certificates once, at start, for the whole process;
    # LeakSanitizer reports them at every exit. Its inputs allocate nothing that outlives them.
    own_flags=()
    unset ASAN_OPTIONS
    if [[ $t == FuzzDifferentialOCSP ]]; then
        own_flags=(-detect_leaks=0)
        export ASAN_OPTIONS=detect_leaks=0
    fi
    artifacts="$fuzz_dir/artifacts/$t"
    mkdir -p "$artifacts"
    reg="$fuzz_dir/regressions/$t"
    if [[ -d $reg ]]; then
        n=0
        for f in "$reg"/*; do
            [[ -f $f && $f != *.md ]] || continue
            n=$((n + 1))
            # libFuzzer runs the files given as arguments once each; non-zero exit = still fails.
            if ! out=$("$bin/$t" -timeout=10 -rss_limit_mb=2048 "${own_flags[@]}" "$f" 2>&1); then
                echo "REGRESSION $t: $f still fails"
                echo "$out" | report | cut -c1-240 | sed 's/^/    /'
                crashes=$((crashes + 1))
            fi
        done
        echo "== $t: replayed $n regression input(s)"
    fi
    execs=0 cov=0 ft=0
    if (( duration > 0 )); then
        log="$artifacts/last-run.log"
        before=$(ls "$artifacts")
        echo "== $t: fuzzing for ${duration}s (log: $log)"
        "$bin/$t" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$duration" \
            "${libfuzzer_flags[@]}" "${own_flags[@]}" -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} "$corpus/$t" \
            >"$log" 2>&1
        status=$(grep -E '^#[0-9]+: cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
        if [[ -z $status ]]; then
            echo "ERROR $t: libFuzzer printed no status line; see $log"
            tail -5 "$log" | sed 's/^/    /'
            crashes=$((crashes + 1))
        else
            execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$status")
            cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$status")
            ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$status")
            found=$(sed -E 's#.*oom/timeout/crash: ([0-9]+)/([0-9]+)/([0-9]+).*#\1 + \2 + \3#' <<<"$status")
            crashes=$((crashes + found))
            if (( cov == 0 )); then
                echo "ERROR $t: no coverage at all: the code was built without coverage instrumentation"
                crashes=$((crashes + 1))
            fi
        fi
        shown=0
        while read -r a; do
            [[ $a =~ ^(crash|leak|timeout|oom|slow-unit)- ]] || continue
            echo "REPRODUCER $t: $artifacts/$a"
            if (( shown < 5 )); then  # replay a few for their report; the rest are usually the same bug
                "$bin/$t" -timeout=10 -rss_limit_mb=2048 "${own_flags[@]}" "$artifacts/$a" 2>&1 | report | cut -c1-240 | sed 's/^/    /'
                shown=$((shown + 1))
            fi
        done < <(comm -13 <(echo "$before") <(ls "$artifacts"))
    fi
    (( crashes > 0 )) && failed=1
    summary+=("$t: $execs execs, $cov cov, $ft ft, crashes: $crashes")
done
echo "== summary (${duration}s per target, $(date -u +%Y-%m-%dT%H:%M:%SZ))"
printf '%s\n' "${summary[@]}"
exit $failed
