SHELL := /bin/bash
# The two commands of the README: `make demo` and `make test`. Both install what they need.
SWIFT ?= swift
SAMPLE ?= Samples/clinics/riverside-clinic.json
BIN := .build/release/appointment-optimizer
OUT := .build/demo

.PHONY: deps demo test bench bench-full fuzz fuzz-build clean docs service service-build service-test service-load

# libglpk-dev (headers and library) and glpk-utils (glpsol, used by the binding's export test).
deps:
	@if ! dpkg -s libglpk-dev >/dev/null 2>&1 || ! command -v glpsol >/dev/null 2>&1; then \
		echo "installing libglpk-dev and glpk-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libglpk-dev glpk-utils >/dev/null; \
	fi
	@command -v python3 >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq python3 python3-pip >/dev/null)
	@# Real parsers for the outputs' tests: iCalendar and FHIR models from PyPI.
	@python3 -c "import icalendar, fhir.resources" 2>/dev/null || python3 -m pip install --quiet icalendar fhir.resources 2>/dev/null \
		|| python3 -m pip install --quiet --break-system-packages icalendar fhir.resources
	@# The service sample: SQLite's headers for GRDB, and schemathesis to fuzz its API.
	@dpkg -s libsqlite3-dev >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev >/dev/null)
	@command -v schemathesis >/dev/null 2>&1 || python3 -m pip install --quiet schemathesis 2>/dev/null \
		|| python3 -m pip install --quiet --break-system-packages schemathesis

demo: deps
	$(SWIFT) build -c release --product appointment-optimizer
	@mkdir -p $(OUT)
	@echo "== check the sample clinic"
	$(BIN) validate $(SAMPLE)
	@echo "== keep only its existing bookings, then check and price that schedule"
	$(BIN) baseline $(SAMPLE) --out $(OUT)/baseline.json
	$(BIN) validate $(SAMPLE) $(OUT)/baseline.json || true
	@echo "== answer the waiting requests one by one, as the front desk would (online replay, best fit)"
	$(BIN) replay $(SAMPLE) --out $(OUT)/replay.json
	@echo "== a front desk's morning: offers, a booking, a conflict, a move, a cancellation, an explanation"
	$(SWIFT) run -c release front-desk $(SAMPLE)
	@echo "== the nightly job: re-optimise the week with GLPK (10 s)"
	$(BIN) optimize $(SAMPLE) --time-limit 10 --out $(OUT)/optimized.json
	@echo "== what the coordinators read: the first day's manifests of the optimised week, and its metrics"
	$(BIN) report manifest $(SAMPLE) $(OUT)/optimized.json --format markdown
	$(BIN) report metrics $(SAMPLE) $(OUT)/optimized.json --out $(OUT)/metrics.json
	@python3 -c "import json; m = json.load(open('$(OUT)/metrics.json')); print('fill rate %.1f %%, idle %d min, unscheduled %s' % (100 * m['fillRate'], m['idleMinutes'], m['unscheduled']['byPriority']))"
	$(BIN) report ics $(SAMPLE) $(OUT)/optimized.json --provider DR-ADAMS --out $(OUT)/DR-ADAMS.ics
	$(BIN) report fhir $(SAMPLE) $(OUT)/optimized.json --out $(OUT)/fhir-bundle.json
	@echo "== the living clinic: a day at the desk, the night's plan, the morning that applies it (journal and end state in $(OUT))"
	$(SWIFT) run -c release clinic-day $(SAMPLE) --seconds 5 --journal $(OUT)/day.jsonl --out $(OUT)/day-end.json

# No test times anything: how well the time limit holds is measured by Benchmarks/deadline.sh.
test: deps
	$(SWIFT) test
	$(MAKE) docs
	$(MAKE) service-test
	$(MAKE) fuzz FUZZ_SECONDS=60

# The coverage-guided fuzzer (libFuzzer, -sanitize=fuzzer,address) over the reader, the checker,
# the validator, the writer and the event-line reader, seeded with the shared instances, the sample
# clinic and event lines (Docs/reliability.md). `make test` runs it for 60 s; `make fuzz` for 30 min.
FUZZ_SECONDS ?= 1800
SHARED ?= $(if $(CLINIC_SHARED),$(CLINIC_SHARED),../shared)
fuzz-build:
	cd Fuzz && $(SWIFT) build --product ClinicFuzz -Xswiftc -sanitize=fuzzer,address

fuzz: deps fuzz-build service-build
	@mkdir -p Fuzz/corpus Fuzz/findings
	@cp $(SAMPLE) $(SHARED)/instances/tiny-0*.json $(SHARED)/instances/small-0*.json $(SHARED)/instances/v2-tiny-01.json $(SHARED)/instances/v2-small-01.json Fuzz/corpus/
	@for f in $(SHARED)/events/v2-tiny-01.jsonl; do head -40 $$f | split -l 1 - Fuzz/corpus/event-; done
	SWIFT_BACKTRACE=enable=no Fuzz/.build/debug/ClinicFuzz Fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=200000 \
		-artifact_prefix=Fuzz/findings/ -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|.*Fatal error|artifact_prefix)" || true
	@if ls Fuzz/findings/crash-* Fuzz/findings/leak-* Fuzz/findings/timeout-* >/dev/null 2>&1; then echo "fuzzer findings in Fuzz/findings"; exit 1; fi
	@echo "== the service's API from its OpenAPI document (schemathesis, $(FUZZ_SECONDS) s): no 5xx, no crash"
	CLINIC_SHARED=$(SHARED) $(SERVICE)/Scripts/fuzz-api.sh $(FUZZ_SECONDS)

# The clinic service (Samples/ClinicService, its own package: Hummingbird, GRDB, lifecycle, metrics).
# `make service` serves the sample clinic on port 8080 with an embedded SQLite database;
# `make service-test` runs its tests (real HTTP on loopback, a real database, a killed process).
SERVICE := Samples/ClinicService
service-build: deps
	cd $(SERVICE) && $(SWIFT) build

service: deps
	cd $(SERVICE) && $(SWIFT) build -c release --product clinic-service
	$(SERVICE)/.build/release/clinic-service --database $(SERVICE)/clinic-service.sqlite \
		--clinic riverside=$(SAMPLE)

service-test: deps
	$(SWIFT) build --product appointment-optimizer
	cd $(SERVICE) && $(SWIFT) build && CLINIC_SHARED=$(abspath $(SHARED)) $(SWIFT) test

# A load run with wrk (Docs/service.md has its figures).
service-load: deps
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	cd $(SERVICE) && $(SWIFT) build -c release --product clinic-service
	CLINIC_SHARED=$(SHARED) $(SERVICE)/Scripts/load.sh 20 16

# A quick harness run (tiny to medium, limits × 0.05: a few minutes); the full run is bench-full.
bench: deps
	$(SWIFT) build -c release --product appointment-optimizer
	$(BIN) bench --only tiny,small,medium --time-limit-scale 0.05 --out bench-results

# Every public instance at the reference time limits (tiny 30 s … xl 600 s per batch run: about 50 min).
bench-full: deps
	$(SWIFT) build -c release --product appointment-optimizer
	$(BIN) bench --out bench-results

# The DocC documentation of every library product (Sources/*/*.docc), into .build/docs/NAME.
DOC_TARGETS := AppointmentOptimizer AppointmentModel MIPModel GLPKBackend RealTimeBooking BatchOptimizer LivingClinic ClinicOutputs
docs: deps
	@mkdir -p .build/docs
	@for t in $(DOC_TARGETS); do \
		$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target $$t \
			--disable-indexing --output-path .build/docs/$$t --warnings-as-errors || exit 1; \
	done

clean:
	rm -rf .build Fuzz/.build Fuzz/corpus Fuzz/findings $(SERVICE)/.build
