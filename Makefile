# The front door: `make bench` and `make test` are all a new user needs. Everything else is a
# thin wrapper over build/ipcbench and the plots package (python3 -m plots.render), which can be
# called directly.
PROFILE ?= default
BUILD   ?= build
RUN     ?= results/latest.json
JOBS    ?= $(shell nproc)
# CI sets CI=true: warnings become errors there (locally a newer compiler's new warning should
# not stop a user from benchmarking).
WERROR  ?= $(if $(filter true,$(CI)),ON,OFF)

CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=Release -DIPCBENCH_WERROR=$(WERROR) -DIPCBENCH_PYTHON=$(PYTHON_BIN)
PYTHON_BIN  = $(shell scripts/find-python 2>/dev/null || echo /usr/bin/python3)

.PHONY: all deps test-deps build bench homework test test-sanitize plots report screenshots list format format-check clean \
        baseline check-baseline ab

all: build

deps:
	@scripts/install-deps.sh

# What only the tests need: a headless browser to open the HTML report, and CJK fonts for it.
test-deps:
	@scripts/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

bench: build
	$(BUILD)/ipcbench --profile=$(PROFILE)
	@$(MAKE) --no-print-directory report RUN=results/latest.json

# The course's hand-in: the homework profile (the homework and what each of the course's claims needs,
# C++ and the course's Python, about 2 minutes), the report in both languages, and each printed to an
# A4 PDF by headless Chromium: results/<run-id>/report.pdf and report.zh.pdf.
homework: build
	@scripts/install-deps.sh --pdf
	$(BUILD)/ipcbench --profile=homework
	@$(MAKE) --no-print-directory report RUN=results/latest.json
	@scripts/print-pdf results/latest.json

plots: deps
	@test -e "$(RUN)" || { echo "ipcbench: no results file '$(RUN)'; run 'make bench' or pass RUN=FILE" >&2; exit 2; }
	@$$(scripts/find-python) -m plots.render "$(RUN)"

# The README's pictures (docs/images/), from the tests' fixture unless RUN= names a results file.
screenshots: deps test-deps
	@scripts/screenshots.sh $(if $(filter command line,$(origin RUN)),"$(RUN)")

# Charts plus report.html / report.md (English) and report.zh.html / report.zh.md (Chinese).
report: deps
	@test -e "$(RUN)" || { echo "ipcbench: no results file '$(RUN)'; run 'make bench' or pass RUN=FILE" >&2; exit 2; }
	@$$(scripts/find-python) -m plots.report "$(RUN)" --lang en
	@$$(scripts/find-python) -m plots.report "$(RUN)" --lang zh

# Regression tracking. A baseline is a ci run stored per machine, taken three times one run after the
# other: how far they differ is this machine's A/A noise, kept per benchmark in an A/A history that
# check-baseline judges against (the runs it compares were not interleaved, so the machine's pace
# between them must not convict). For pull requests prefer `make ab BASE=<rev>`: both builds run
# interleaved on this machine, so another day's noise never enters the verdict.
MACHINE  = $(shell scripts/machine-key)
BASELINE = results/baselines/$(MACHINE).json
NOISE    = results/baselines/noise/$(MACHINE).json

baseline: build
	@rm -f $(BASELINE).new $(BASELINE).2 $(BASELINE).3
	@mkdir -p $(dir $(NOISE))
	$(BUILD)/ipcbench --profile=ci --out=$(BASELINE).new
	$(BUILD)/ipcbench --profile=ci --out=$(BASELINE).2
	$(BUILD)/ipcbench --profile=ci --out=$(BASELINE).3
	@scripts/compare $(BASELINE).new $(BASELINE).2 --record-noise $(NOISE)
	@scripts/compare $(BASELINE).2 $(BASELINE).3 --record-noise $(NOISE)
	@scripts/compare $(BASELINE).new $(BASELINE).3 --record-noise $(NOISE)
	@rm -f $(BASELINE).2 $(BASELINE).3
	@mv $(BASELINE).new $(BASELINE)
	@echo "ipcbench: baseline for $(MACHINE): $(BASELINE), A/A history $(NOISE)"

check-baseline: build
	@test -e "$(BASELINE)" || { echo "ipcbench: no baseline for $(MACHINE); run 'make baseline' first" >&2; exit 2; }
	$(BUILD)/ipcbench --profile=ci
	@scripts/compare $(BASELINE) results/latest.json $$(test -e $(NOISE) && echo --noise $(NOISE))

ab:
	@test -n "$(BASE)" || { echo "ipcbench: give the base revision: make ab BASE=origin/main" >&2; exit 2; }
	@scripts/ab $(BASE) $(CANDIDATE)

list: build
	@$(BUILD)/ipcbench --list --profile=$(PROFILE)

# Build and every test once, C++ and Python: a few minutes, the check to run many times a day.
test: build test-deps
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The C++ unit and integration tests (GoogleTest, which also drives the ipcbench binary) again
# under ASan+UBSan and under TSan, each in its own build directory: about 17 minutes, before
# sending a change to C++. The Python-only tests (report, findings, compare, tracking, layering) ran in
# `make test`: a sanitizer adds nothing to them. CI runs both targets.
SANITIZERS = asan:address,undefined tsan:thread
SANITIZE_CTEST = -E '^(python_style|message_catalogs|report_and_charts|compare_verdicts|tracking_history|python_runner|layering|findings_from_facts|load_report|kernel_report|remote_namespaces|bad_input|ab_sequential)$$'
test-sanitize: deps test-deps
	@set -e; for s in $(SANITIZERS); do \
	  dir=$(BUILD)-$${s%%:*}; \
	  echo "ipcbench: building and testing under -fsanitize=$${s#*:} in $$dir"; \
	  cmake -S . -B $$dir $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPCBENCH_SANITIZE=$${s#*:} >/dev/null; \
	  cmake --build $$dir -j $(JOBS) >/dev/null; \
	  (cd $$dir && ASAN_OPTIONS=$(ASAN_OPTIONS) UBSAN_OPTIONS=$(UBSAN_OPTIONS) TSAN_OPTIONS="$(TSAN_OPTIONS)" \
	    ctest --output-on-failure -j 1 $(SANITIZE_CTEST)); \
	done
ASAN_OPTIONS  = detect_leaks=1:abort_on_error=0:halt_on_error=1
UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
TSAN_OPTIONS  = halt_on_error=1 second_deadlock_stack=1 die_after_fork=0 suppressions=$(CURDIR)/tests/tsan.supp

# C++ by clang-format (.clang-format), Python by black (pyproject.toml); flake8 (.flake8) lints.
format: test-deps
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')
	@black --quiet $$(git ls-files '*.py')

format-check: test-deps
	@clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')
	@black --check --quiet $$(git ls-files '*.py')
	@flake8 $$(git ls-files '*.py')

clean:
	rm -rf $(BUILD)
