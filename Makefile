# healthbook: the two commands are `make run` and `make test`.
# Everything installs what is missing (Debian 12 packages, apt-get), then builds with CMake + Ninja.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DATA ?= data
LISTEN ?= 127.0.0.1:8080
PATIENTS ?= 2000

CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

.PHONY: all deps test-deps build run test bench clean format

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

bench:
	@scripts/install-deps.sh bench
	$(MAKE) build
	bench/run.sh

format:
	find src tools -name '*.h' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
