# The front door. `make run` is the local demo; `make test` runs every test.
SWIFT ?= swift
STAPLE = .build/debug/staple
PYTHON ?= python3

.PHONY: build test run vectors vectors-check bench clean

build:
	@scripts/ensure-deps.sh
	$(SWIFT) build

# The whole suite: engine unit tests, the TestVectors corpus case by case, CLI tests.
test:
	@scripts/ensure-deps.sh nginx
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Local demo on the bundled corpus (offline, pinned time): one accepted staple, one must-staple
# rejection, and the four presets side by side on the same inputs.
run: build
	@echo "== a Good staple for a plain certificate (firefox preset)"
	-@$(STAPLE) verify --chain TestVectors/pki/ecdsa/chain-ee-plain.pem --staple TestVectors/staples/ecdsa/good.der --at 2026-06-01T12:00:00Z --responder http-500
	@echo
	@echo "== a must-staple certificate without a staple (responder down)"
	-@$(STAPLE) verify --chain TestVectors/pki/ecdsa/chain-ee-must-staple.pem --at 2026-06-01T12:00:00Z --responder http-500
	@echo
	@echo "== the presets on the same inputs"
	@$(STAPLE) vectors --filter ecdsa/presets/

# Regenerate the corpus (openssl + Python cryptography, pinned), check it, and run it.
vectors:
	$(PYTHON) -m pip install -q -r TestVectors/requirements.txt
	$(PYTHON) TestVectors/generate.py
	$(PYTHON) TestVectors/check.py
	$(SWIFT) build
	$(STAPLE) vectors --quiet

# Issue #6: the engine beside OpenSSL's OCSP API and the raw signature check, the verdict cache,
# loopback handshakes and a 1,000-target `staple check`, in one release-mode process. The last line
# of the output is one JSON object (docs/BENCH.md). BENCH_ARGS passes options (e.g. --quick).
BENCH_BUILD = .build-release
bench:
	@scripts/ensure-deps.sh
	$(SWIFT) build -c release --scratch-path $(BENCH_BUILD) --product staple
	$(SWIFT) build -c release --scratch-path $(BENCH_BUILD) --product StapleBench
	$(BENCH_BUILD)/release/StapleBench --staple $(BENCH_BUILD)/release/staple $(BENCH_ARGS)

clean:
	rm -rf .build .build-release
