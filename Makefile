# Thin front end over CMake presets. `make run` and `make test` do all set-up on a fresh Debian machine.
JOBS ?= 2
BUILD_RELEASE := build/release
BUILD_TEST := build/ci

.PHONY: deps build run test bench clean docs approve-goldens python fuzz

deps:
	@scripts/install-deps

$(BUILD_RELEASE)/build.ninja: | deps
	@cmake --preset release >/dev/null

build: deps $(BUILD_RELEASE)/build.ninja
	@cmake --build --preset release -j $(JOBS) --target doseflow

run: build
	@$(BUILD_RELEASE)/bin/doseflow run

$(BUILD_TEST)/build.ninja: | deps
	@cmake --preset ci >/dev/null

# Where clang is installed, the libFuzzer harnesses are built too (their own folder, build/fuzz), so that the
# ctest test fuzz_brief only runs them.
test: deps $(BUILD_TEST)/build.ninja
	@cmake --build --preset ci -j $(JOBS)
	@if command -v clang++ >/dev/null; then \
	  [ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null; \
	  cmake --build --preset fuzz -j $(JOBS); fi
	@ctest --preset ci

# The libFuzzer harnesses of fuzz/ (needs clang), each for long: a million scenario files, 100,000 run tables.
fuzz: deps
	@JOBS=$(JOBS) scripts/fuzz long

# Builds the Python package (optimised, its own build folder) and installs it for /usr/bin/python3.
BUILD_PYTHON := build/python
$(BUILD_PYTHON)/build.ninja: | deps
	@cmake --preset python >/dev/null

python: deps $(BUILD_PYTHON)/build.ninja
	@cmake --build --preset python -j $(JOBS) --target doseflow_python
	@cmake --install $(BUILD_PYTHON) --component python
	@cd / && /usr/bin/python3 -c "import doseflow, sys; sys.stdout.write('doseflow ' + doseflow.__version__ + ' installed: ' + doseflow.__file__ + '\n')"

bench: deps $(BUILD_RELEASE)/build.ninja
	@cmake --build --preset release -j $(JOBS)
	@for b in $(BUILD_RELEASE)/bin/bench_*; do echo "== $$b"; $$b --benchmark_min_time=0.2; done

docs: build
	@$(BUILD_RELEASE)/bin/doseflow params > docs/parameters.md
	@echo "docs/parameters.md regenerated"

clean:
	@rm -rf build

# Re-approves the golden outputs of tests/golden after a meant change (review the diff before committing).
approve-goldens: deps $(BUILD_TEST)/build.ninja
	@cmake --build --preset ci -j $(JOBS)
	@DOSEFLOW_APPROVE_GOLDENS=1 $(BUILD_TEST)/bin/doseflow_whole_run_tests --gtest_filter='WholeRun.GoldenOutputs*'
	@git status --short tests/golden
