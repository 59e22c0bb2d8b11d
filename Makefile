# triqs_nnsolver: the two commands of the README, and the steps they share.
#
#   make demo       create .venv if missing, install, run the main job
#   make test       same set-up, then lint (ruff), the C++ tests (ctest), the Python tests (pytest, MPI included)
#   make test-slow  every test, including the long ones marked `slow`
#   make bench      the benchmarks in bench/
#   make docs       the documentation site, tutorials executed, warnings as errors: build/docs/html/index.html
#
# Everything lands in .venv (created with $(PYTHON3)); the CMake build tree is kept in build/cmake
# so a re-install only recompiles what changed.

PYTHON3 ?= python3
VENV    := .venv
PYTHON  := $(VENV)/bin/python
PIP     := $(PYTHON) -m pip
BUILD   := build/cmake
SOURCES := $(shell find python c++ test/c++ share -type f -not -name '*.pyc') CMakeLists.txt pyproject.toml

# Build tools needed with --no-build-isolation; torch is pinned exactly (a CPU wheel lies on disk).
BUILD_TOOLS := torch==2.13.0 "scikit-build-core>=0.10" "pybind11>=2.12" ninja

.PHONY: demo test test-slow test-cpp test-python test-mpi lint bench docs install venv clean

venv: $(VENV)/.tools-stamp

$(VENV)/.tools-stamp:
	test -x $(PYTHON) || $(PYTHON3) -m venv $(VENV)
	$(PIP) install --quiet $(BUILD_TOOLS)
	command -v cmake >/dev/null || $(PIP) install --quiet "cmake>=3.20,<4"
	touch $@

install: $(VENV)/.install-stamp

$(VENV)/.install-stamp: $(VENV)/.tools-stamp $(SOURCES)
	$(PIP) install --quiet --no-build-isolation -C build-dir=$(BUILD) -C cmake.define.Build_Tests=ON ".[test,docs]"
	touch $@

demo: install
	$(VENV)/bin/triqs-nnsolver info
	$(VENV)/bin/triqs-nnsolver bethe --U 2.0 --out demo_output/bethe_U2.h5 --plot demo_output/bethe_U2.png
	@echo "demo outputs: demo_output/bethe_U2.h5 (TRIQS archive: A_w, G_w, Sigma_w, G_iw, Sigma_iw, results, history, lattice)"
	@echo "              demo_output/bethe_U2.png (spectral function, self-energy, convergence)"

test: lint test-cpp test-python test-mpi

# Style (ruff: pyflakes, pycodestyle, isort, bugbear, no commented-out code) and formatting.
lint: install
	$(VENV)/bin/ruff check python test bench doc/examples doc/tutorials doc/conf.py
	$(VENV)/bin/ruff format --check python test bench doc/examples doc/tutorials doc/conf.py

test-cpp: install
	ctest --test-dir $(BUILD) --output-on-failure

test-python: install
	$(PYTHON) -m pytest -m "not slow and not mpi" test/python

# Tests of the parallel paths, each run under `mpiexec -n 2`.
test-mpi: install
	$(VENV)/bin/mpiexec -n 2 $(PYTHON) -m pytest -q -m mpi -p no:cacheprovider test/python

test-slow: install test-cpp test-mpi
	$(PYTHON) -m pytest -m "not mpi" test/python

bench: install
	for script in bench/bench_*.py; do $(PYTHON) $$script || exit 1; done

# The site (doc/, Sphinx + myst-parser + sphinx-gallery + numpydoc, theme furo), offline from the installed package:
# a fresh build (-E) that executes every doc/tutorials/plot_*.py with the shipped model, one thread, one process.
DOCS_ENV := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 MPLBACKEND=Agg

docs: install
	rm -rf doc/api doc/auto_tutorials doc/sg_execution_times.rst
	$(DOCS_ENV) $(PYTHON) -m sphinx -E -W --keep-going -j 1 -q -b html doc build/docs/html
	@echo "documentation: build/docs/html/index.html"

clean:
	rm -rf build $(VENV) demo_output doc/api doc/auto_tutorials doc/sg_execution_times.rst
