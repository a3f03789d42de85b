# The front door. `make run` is the local demo; `make test` runs every test.
SWIFT ?= swift
STAPLE = .build/debug/staple
PYTHON ?= python3
# Warnings are errors, and a target may import only the targets it declares (Package.swift).
BUILD_FLAGS ?= -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error

.PHONY: build test differential firefox tsan run vectors vectors-check bench soak fuzz docs format lint clean

build:
	@scripts/ensure-deps.sh
	$(SWIFT) build $(BUILD_FLAGS)

# The whole suite: engine unit tests, the TestVectors corpus case by case, CLI tests. The tests of
# the in-process exporter run on their own afterwards: its probes are tasks on Swift's cooperative
# pool, which is as wide as the machine's cores, and beside the suite's CPU-bound tests (two cores
# here) a probe could wait past its own deadline and Prometheus's scrape timeout.
EXPORTER_TESTS = ExporterProbeTests|PrometheusScrapeTests
test:
	@scripts/ensure-deps.sh nginx prometheus
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --skip '$(EXPORTER_TESTS)'
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(EXPORTER_TESTS)'

# The engine against mozilla::pkix itself (docs/TESTING.md): the oracle is built from Debian's nss
# source package into .build-mozpkix/ (scripts/build-mozpkix-oracle.sh), then MozpkixDifferentialTests
# runs with it. About half a minute once the tests are built.
differential:
	@scripts/ensure-deps.sh
	scripts/build-mozpkix-oracle.sh
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	MOZPKIX_ORACLE=$(CURDIR)/.build-mozpkix/mozpkix-oracle $(SWIFT) test --skip-build $(BUILD_FLAGS) --filter MozpkixDifferentialTests

# Real Firefox ESR, headless over Marionette, against `staple check --policy firefox` on loopback
# TLS servers (docs/TESTING.md, "Firefox ESR as the judge"): any difference in verdict or error
# name not on the expected list fails. About two minutes once staple is built.
firefox:
	@scripts/ensure-deps.sh firefox
	$(PYTHON) -m pip install -q -r scripts/firefox-requirements.txt
	$(SWIFT) build $(BUILD_FLAGS)
	$(PYTHON) scripts/firefox-differential.py --staple $(STAPLE)

# The concurrent tests under ThreadSanitizer, in a build folder of their own (docs/TESTING.md): the
# OCSP and verdict caches, many targets on one checker, the hostile servers, the in-process TLS
# matrix, the HTTP OCSP fetcher. A race report fails the run (TSan's exit code 66). About 9 minutes
# from scratch on 2 cores.
TSAN_TESTS = OCSPCacheTests|VerdictCacheTests|ConcurrentCheckTests|HostileServerTests|InProcessServerTests|ConnectionErrorTests|OwnershipTests|HTTPOCSPFetcherTests|MisbehavingResponderTests|OCSPCacheAcrossConnectionsTests
tsan:
	@scripts/ensure-deps.sh nginx
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_TESTS)'

# The local demo: loopback TLS servers (system OpenSSL) that staple good, missing, revoked, tryLater,
# expired and delegated-responder staples signed at start-up, each checked under every preset.
run: build
	@$(STAPLE) demo

# Regenerate the corpus (openssl + Python cryptography, pinned), check it, and run it.
vectors:
	$(PYTHON) -m pip install -q -r TestVectors/requirements.txt
	$(PYTHON) TestVectors/generate.py
	$(PYTHON) TestVectors/check.py
	$(SWIFT) build $(BUILD_FLAGS)
	$(STAPLE) vectors --quiet

# Fuzz the engine (libFuzzer + ASan) for SECONDS per target after replaying Fuzz/regressions
# (docs/FUZZING.md). A separate package in Fuzz/, its own build folder.
SECONDS ?= 120
fuzz:
	Fuzz/run.sh $(SECONDS)

# The engine beside OpenSSL's OCSP API and the raw signature check, the verdict cache,
# loopback handshakes and a 1,000-target `staple check`, in one release-mode process. The last line
# of the output is one JSON object (docs/BENCH.md). BENCH_ARGS passes options (e.g. --quick).
BENCH_BUILD = .build-release
bench:
	@scripts/ensure-deps.sh
	$(SWIFT) build -c release --scratch-path $(BENCH_BUILD) --product staple
	$(SWIFT) build -c release --scratch-path $(BENCH_BUILD) --product StapleBench
	$(BENCH_BUILD)/release/StapleBench --staple $(BENCH_BUILD)/release/staple $(BENCH_ARGS)

# `staple exporter` under load: 20,000 probes at concurrency 50 against the demo's servers; RSS
# and descriptors read from /proc (scripts/exporter-soak.py; docs/OPERATORS.md). Not in CI.
soak:
	@scripts/ensure-deps.sh
	$(SWIFT) build -c release --scratch-path $(BENCH_BUILD) --product staple
	$(PYTHON) scripts/exporter-soak.py --staple $(BENCH_BUILD)/release/staple $(SOAK_ARGS)

# DocC for the library products, warnings as errors (docs/ holds the contributors' documents).
DOC_TARGETS = StapleVerifier StapleTLS
docs:
	@scripts/ensure-deps.sh
	$(SWIFT) package --disable-sandbox generate-documentation $(foreach t,$(DOC_TARGETS),--target $(t)) --warnings-as-errors

# One formatting for Swift (.swift-format, line length 120) and Python (ruff.toml).
SWIFT_SOURCES = Sources Tests Fuzz/Sources Package.swift Fuzz/Package.swift
format:
	$(SWIFT) format format --in-place --parallel --recursive $(SWIFT_SOURCES)
	$(PYTHON) -m ruff format TestVectors scripts

# The style and the citations, as CI checks them: swift-format, ruff, and every firefox-policy §
# resolving in docs/firefox-policy.md.
lint:
	$(SWIFT) format lint --strict --parallel --recursive $(SWIFT_SOURCES)
	scripts/lint-python.sh
	$(PYTHON) scripts/check-citations.py

clean:
	rm -rf .build .build-tsan .build-release .build-mozpkix
