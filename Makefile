# healthbook: the two commands are `make run` and `make test`.
# Everything installs what is missing (Debian 12 packages, apt-get), then builds with CMake + Ninja.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DATA ?= data
LISTEN ?= 127.0.0.1:8080
PATIENTS ?= 2000
# make run starts simulators of the two claims portals beside the server (CLAIMS_SIM=0: not).
CLAIMS_SIM ?= 1
NATIONAL_PORT ?= 8091
PROVINCIAL_PORT ?= 8092
# make run starts a local Orthanc (the PACS, Debian's orthanc + orthanc-dicomweb) on loopback,
# its data in $(DATA)/orthanc, when it is installed (ORTHANC=0: not). scripts/dev-orthanc.sh.
ORTHANC ?= 1
ORTHANC_HTTP_PORT ?= 8043
ORTHANC_DICOM_PORT ?= 4243

CMAKE_FLAGS = -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

FUZZ_SECONDS ?= 60
FUZZ_DIR ?= $(BUILD_DIR)/fuzz-clang

.PHONY: all deps test-deps build run test bench fuzz clean format web screenshots

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

build: deps web $(BUILD_DIR)/build.ninja
	@echo "==> building healthbook ($(BUILD_TYPE)) in $(BUILD_DIR)/"
	ninja -C $(BUILD_DIR) -j$(JOBS)
	@echo "==> built $(BUILD_DIR)/healthbook"

# The web application (web/, TypeScript + Vite + React) into web/dist, which the C++ build
# embeds (cmake/web_app.cmake). npm ci runs only when node_modules is missing or older than
# package-lock.json; the Vite build only when a source changed. Without npm the server is
# built with the placeholder page instead, and says so.
WEB_SOURCES = $(shell find web/src web/public web/scripts -type f -not -path 'web/src/generated/*' 2>/dev/null) \
  web/index.html web/package.json web/package-lock.json web/tsconfig.json web/vite.config.ts \
  resources/catalogs/administrative-units-2024-06-11.csv

web: deps
	@if command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory web/dist/index.html; \
	else \
	  echo "==> npm not found: building the server with the placeholder page instead of the web application"; \
	fi

web/node_modules/.package-lock.json: web/package-lock.json
	@echo "==> installing the web application's packages (npm ci in web/)"
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	@echo "==> building the web application (web/dist)"
	cd web && npm run --silent build

# docs/screenshots/*.png of the main screens, taken by the e2e harness (tests/e2e/screenshots.ts).
screenshots: test-deps build
	cd web && HB_BINARY=$(abspath $(BUILD_DIR))/healthbook npm run --silent screenshots

run: build
	@if [ ! -f "$(DATA)/healthbook.db" ]; then \
	  echo "==> first start: building the demo province ($(PATIENTS) patients) in $(DATA)/"; \
	  $(BUILD_DIR)/healthbook demo --data "$(DATA)" --patients $(PATIENTS) || exit 1; \
	fi
	@echo "==> serving on http://$(LISTEN)/  (FHIR API: http://$(LISTEN)/fhir/metadata; Ctrl-C stops)"
	@if [ "$(ORTHANC)" = 1 ]; then scripts/install-deps.sh run || \
	  echo "==> could not install Orthanc (scripts/install-deps.sh run): imaging stays off"; fi
	@sim=""; HB_ORTHANC_PID=""; \
	if [ "$(ORTHANC)" = 1 ]; then \
	  if orthanc_env=$$(scripts/dev-orthanc.sh "$(DATA)/orthanc" $(ORTHANC_HTTP_PORT) $(ORTHANC_DICOM_PORT)); then \
	    eval "$$orthanc_env"; \
	    echo "==> Orthanc (PACS): http://127.0.0.1:$(ORTHANC_HTTP_PORT)/app/explorer.html, DICOM HBORTHANC@127.0.0.1:$(ORTHANC_DICOM_PORT), user demo, password in $(DATA)/orthanc/password (ORTHANC=0 runs without)"; \
	  else \
	    echo "==> Orthanc not started (see above): serving without the PACS link"; \
	  fi; \
	fi; \
	trap 'kill $$sim $$HB_ORTHANC_PID 2>/dev/null' EXIT INT TERM; \
	if [ "$(CLAIMS_SIM)" = 1 ]; then \
	  echo "==> simulated claims portals: national http://127.0.0.1:$(NATIONAL_PORT), provincial http://127.0.0.1:$(PROVINCIAL_PORT) (tests/simulators/claims_portals.py; CLAIMS_SIM=0 runs without)"; \
	  python3 tests/simulators/claims_portals.py --national-port $(NATIONAL_PORT) \
	    --provincial-port $(PROVINCIAL_PORT) --username demo --password demo & sim=$$!; \
	  export HEALTHBOOK_CLAIMS_NATIONAL_URL=http://127.0.0.1:$(NATIONAL_PORT) \
	    HEALTHBOOK_CLAIMS_NATIONAL_USERNAME=demo HEALTHBOOK_CLAIMS_NATIONAL_PASSWORD=demo \
	    HEALTHBOOK_CLAIMS_PROVINCIAL_URL=http://127.0.0.1:$(PROVINCIAL_PORT) \
	    HEALTHBOOK_CLAIMS_PROVINCIAL_USERNAME=demo HEALTHBOOK_CLAIMS_PROVINCIAL_PASSWORD=demo; \
	fi; \
	export HEALTHBOOK_PAYMENTS_BANK_BIN=$${HEALTHBOOK_PAYMENTS_BANK_BIN:-970415} \
	  HEALTHBOOK_PAYMENTS_BANK_ACCOUNT=$${HEALTHBOOK_PAYMENTS_BANK_ACCOUNT:-0011001932418} \
	  HEALTHBOOK_PAYMENTS_WEBHOOK_SECRETS=$${HEALTHBOOK_PAYMENTS_WEBHOOK_SECRETS:-simbank:demo-bank-secret}; \
	echo "==> demo bank (VietQR to 970415/0011001932418): the cashier (thungan.bvdk) shows an invoice's QR; pay it with"; \
	echo "    python3 tests/simulators/bank_sim.py --port $(lastword $(subst :, ,$(LISTEN))) --secret demo-bank-secret --amount N --description 'HBxxxxxxxx vien phi'"; \
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
