# healthbook: the two commands are `make run` and `make test`.
# Everything installs what is missing (Debian 12 packages, apt-get), then builds with CMake + Ninja.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DATA ?= data
LISTEN ?= 127.0.0.1:8080
PATIENTS ?= 2000

CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

FUZZ_SECONDS ?= 60
FUZZ_DIR ?= $(BUILD_DIR)/fuzz-clang

.PHONY: all deps test-deps build run test bench fuzz clean format

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	@echo "==> building healthbook ($(BUILD_TYPE)) in $(BUILD_DIR)/"
	ninja -C $(BUILD_DIR) -j$(JOBS)
	@echo "==> built $(BUILD_DIR)/healthbook"

run: build
	@if [ ! -f "$(DATA)/healthbook.db" ]; then \
	  echo "==> first start: building the demo province ($(PATIENTS) patients) in $(DATA)/"; \
	  $(BUILD_DIR)/healthbook demo --data "$(DATA)" --patients $(PATIENTS) || exit 1; \
	fi
	@echo "==> serving on http://$(LISTEN)/  (FHIR API: http://$(LISTEN)/fhir/metadata; Ctrl-C stops)"
	$(BUILD_DIR)/healthbook serve --data "$(DATA)" --listen "$(LISTEN)"

test: test-deps build
	@echo "==> running every test (unit, conformance, integration)"
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 1800

# Every libFuzzer target (fuzz/) for FUZZ_SECONDS each, in a clang + ASan + UBSan build of its own.
fuzz: test-deps
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DHB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  $(if $(wildcard $(BUILD_DIR)/fhir-package/package/package.json),-DHB_FHIR_PACKAGE_DIR=$(abspath $(BUILD_DIR)/fhir-package/package))
	ninja -C $(FUZZ_DIR) -j$(JOBS) fuzzers
	@echo "==> fuzzing each target for $(FUZZ_SECONDS) s (crashes land in $(FUZZ_DIR)/fuzz/<name>/artifacts/)"
	cd $(FUZZ_DIR) && FUZZ_SECONDS=$(FUZZ_SECONDS) ctest -L fuzz --output-on-failure --timeout $$(( $(FUZZ_SECONDS) * 2 + 120 ))

bench:
	@scripts/install-deps.sh bench
	$(MAKE) build
	bench/run.sh

format:
	find src tools -name '*.h' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
