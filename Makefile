# Build and test the tconv course.
#
#   make book       build the HTML book (Jupyter Book 1), print the path to index.html
#                   (BOOK_ARGS= for Sphinx's full progress output)
#   make test       lint (ruff), then unit tests + nbval over every notebook, in parallel; each
#                   notebook runs alone in an empty folder with only the built wheel (as on Colab)
#   make lint       ruff over the library, tools, tests and notebooks (config in pyproject.toml),
#                   then make lint-ja
#   make lint-ja    textlint over every Japanese text (.textlintrc.yml; locale/ja/glossary.yml)
#   make test-quick the unit tests without the browser, book and slow ones (pytest -m "not slow ...")
#   make test-browser  only the browser test: the built book offline in headless
#                   Chromium (/usr/bin/chromium; screenshots in test-artifacts/)
#   make execute    re-run notebooks top to bottom in a fresh kernel (NB=path for one)
#   make test-seeds the training demonstrations over 3 seeds x 2 CPU kernel sets, with each claim's margin
#   make test-gpu   the test suite with TCONV_DEVICE=cuda (needs a CUDA build of torch)
#   make lab        open the notebooks in JupyterLab
#   make test-lab   the explorer widget in a real JupyterLab (headless Chromium): a control moved
#                   in the browser changes the Python value and back (not part of `make test`)
#   make bench      time tconv_lib's conv_transpose2d paths against PyTorch (not a test)
#   make weight     what a first visit to each page of the built book downloads: every page, the
#                   median, the heaviest, one page's files (tools/page_weight.py --help; not a test)
#   make student    student edition, no solutions anywhere, in _student/ (built HTML in
#                   _student/_build/html); CHAPTERS="02 03 04" for a subset,
#                   STUDENT_REPO=<url> for its Colab/Binder/repository/install links;
#                   EDITION_LANG=ja for the Japanese student edition, in _student_ja/
#   make autograder Otter-Grader bundle with public + hidden tests (CHAPTERS= to select);
#                   EDITION_LANG=ja: from the Japanese exercise notebooks (Japanese feedback),
#                   in _autograder_ja/ (then `make grade EDITION_LANG=ja` uses those bundles)
#   make grade      grade SUBMISSIONS=DIR (DIR/<student>/<NN_slug>.ipynb), each notebook in a
#                   bubblewrap sandbox, into DIR/grades.csv and DIR/gradebook.csv; TIMEOUT=300
#                   (seconds per notebook), ROSTER=file.csv, UNSAFE=1 (no sandbox: trusted work only)
#   make test-grading  the grading tests: chapter 2's bundle, honest and hostile submissions in sandboxes,
#                   and Japanese submissions graded with the Japanese bundle
#   make clean      remove _build/ and test-artifacts/
#
# Every target that needs Python creates .venv/ on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON     ?= python3
VENV       ?= .venv
TORCH_SPEC ?=
PYTEST_ARGS ?=
BOOK_ARGS  ?= -q
LAB_ARGS   ?=
NB         ?=
CHAPTERS   ?=
STUDENT_REPO ?=
SUBMISSIONS ?=
TIMEOUT ?= 300
ROSTER ?=
UNSAFE ?=
# The student edition's and the bundles' language: en (default) or ja. Not LANG, which is the
# locale variable of every shell (make would take LANG=en_US.UTF-8 from the environment).
EDITION_LANG ?= en
EDITION_SUFFIX = $(if $(filter-out en,$(strip $(EDITION_LANG))),_$(strip $(EDITION_LANG)))
AUTOGRADER ?= _autograder$(EDITION_SUFFIX)
# Which torch: empty TORCH_SPEC = the version pinned in constraints.txt (the pin's one home,
# which pip reads with -c); TORCH_SPEC='torch==X.Y.Z' (or a CUDA build) installs that instead.
CONSTRAINTS := constraints.txt
TORCH_REQ   := $(if $(strip $(TORCH_SPEC)),'$(TORCH_SPEC)',-c $(CONSTRAINTS) torch)
PINNED      := $(if $(strip $(TORCH_SPEC)),,-c $(CONSTRAINTS))
# Where torch comes from: empty = the default index (PyPI, whose Linux wheels are CUDA
# builds of several GB); https://download.pytorch.org/whl/cpu = PyTorch's CPU-only wheels.
# Used for .venv and for the wheel-only venv of `make test`.
TORCH_INDEX ?=

BIN   := $(VENV)/bin
PY    := $(BIN)/python
PIP   := $(PY) -m pip --quiet --disable-pip-version-check

# Only notebooks that exist are passed on, so an empty exercises/ is fine.
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb)) $(sort $(wildcard exercises/*.ipynb))
# The Japanese edition (tools/i18n): notebooks generated from the English ones + locale/ja/po/.
NOTEBOOKS_JA := $(sort $(wildcard locale/ja/book/chapters/*.ipynb)) $(sort $(wildcard locale/ja/book/exercises/*.ipynb))
JA_OF = $(filter $(addprefix locale/ja/book/,$(1)),$(NOTEBOOKS_JA))

# Kernel start-up gets 180 s instead of nbval's 60: on a cold machine where
# many workers start kernels at once, importing torch alone can take a minute.
# --no-loadscope-reorder: scopes run in the order given (xdist would start the biggest first, so a Japanese
# notebook would run beside its English twin instead of replaying it; see `test`).
PYTEST_FLAGS := -p no:cacheprovider -n 2 --dist loadscope --no-loadscope-reorder --durations=15 \
	--nbval --nbval-sanitize-with tests/sanitize.cfg --nbval-kernel-startup-timeout=180

# Another CPU's kernels. PyTorch picks its kernels by instruction set (AVX-512, AVX2, ...) and each
# adds up in its own order, so float32 results differ in their last bits between machines. With these
# variables PyTorch's and oneDNN's kernels are those of another instruction set than this machine's:
# AVX2's on a CPU with AVX-512 (as on most laptops), SSE4.1's on one without. `make test` runs the
# notebooks with them (one thread each), so the outputs that `make execute` wrote with this machine's
# kernels are always compared with a run that added up in another order; `make test-seeds` reruns the
# training demonstrations with and without them.
HAS_AVX512 := $(shell grep -qm1 avx512f /proc/cpuinfo 2> /dev/null && echo yes)
OTHER_CPU ?= $(if $(HAS_AVX512),ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2,ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41)
SEED_ARGS ?=

# `make test` runs the notebooks as a Colab user would: tools/test_wheel.py installs the built
# wheel (nothing else from the repository) into WHEEL_WORK/venv, outside the repository, registers
# it as the kernel "tconv-wheel" and copies each notebook alone into an empty folder
# (WHEEL_WORK/run/chapters/02_stride/02_stride.ipynb); nbval runs those copies with that kernel.
WHEEL_WORK ?= $(or $(TMPDIR),/tmp)/tconv-wheel-$(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)

INSTALLED  := $(VENV)/.installed
TORCH_STAMP := $(VENV)/.torch-spec
LAB_STAMP  := $(VENV)/.lab-installed
GRADE_STAMP := $(VENV)/.grade-installed
AXE        := node_modules/axe-core/axe.min.js

.PHONY: lint-ja test-seeds help book test lint test-quick wheel-env test-browser test-lab execute test-gpu lab bench student autograder grade test-grading clean distclean venv FORCE

help:
	@sed -n '1,/^$$/s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

venv: $(INSTALLED)

# Records which torch was asked for (TORCH_SPEC, or the constraints' lines) so that changing
# either (e.g. TORCH_SPEC to a CUDA build, or the pin) reinstalls torch.
$(TORCH_STAMP): FORCE
	@mkdir -p $(VENV)
	@asked="$$(if [ -n '$(strip $(TORCH_SPEC))' ]; then echo '$(TORCH_SPEC)'; else grep -v '^#' $(CONSTRAINTS); fi)"; \
		[ "$$asked" = "$$(cat $@ 2> /dev/null)" ] || echo "$$asked" > $@

# torch is installed first, pinned, so that `torch>=2.8` in pyproject.toml is
# already satisfied and pip never fetches a multi-GB CUDA wheel on its own.
$(INSTALLED): pyproject.toml $(TORCH_STAMP)
	@echo "==> setting up $(VENV) (python, $(or $(TORCH_SPEC),torch from $(CONSTRAINTS)), .[book,test])"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install $(if $(strip $(TORCH_INDEX)),--index-url '$(TORCH_INDEX)') $(TORCH_REQ)
	@$(PIP) install $(PINNED) -e '.[book,test]'
	@# Kernel spec "python3" inside the venv, pointing at the venv's interpreter.
	@$(PY) -m ipykernel install --sys-prefix --name python3 \
		--display-name 'Python 3 (ipykernel)' > /dev/null
	@touch $@
	@echo "==> $(VENV) ready: $$($(PY) -c 'import torch; print("torch", torch.__version__)')"

# axe-core (package.json) for the browser tests' accessibility checks. Without npm the
# recipe only says so, and tests/test_browser.py skips those checks with a message.
$(AXE): package.json package-lock.json
	@if command -v npm > /dev/null; then \
		echo "==> npm ci (axe-core for tests/test_browser.py)"; \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks in tests/test_browser.py will be skipped"; fi

# The English and the Japanese book are built side by side (Sphinx uses one core each); then the Japanese
# one is copied under _build/html/ja/ and both get the language switch (tools/i18n publish).
book: $(INSTALLED)
	@echo "==> jupyter-book build of both editions (warnings are errors)"
	@mkdir -p _build && $(PY) tools/i18n book-only $(BOOK_ARGS) > _build/ja-build.log 2>&1 & ja=$$!; \
		$(BIN)/jupyter-book build . -W -n --keep-going $(BOOK_ARGS); en=$$?; \
		wait $$ja; ja=$$?; echo "==> Japanese book (tools/i18n book-only):"; cat _build/ja-build.log; \
		test $$en = 0 && test $$ja = 0
	@$(PY) tools/i18n publish
	@echo "==> book: $(CURDIR)/_build/html/index.html (Japanese: _build/html/ja/index.html)"

# The wheel-only environment and the notebook copies; needs no .venv (plain $(PYTHON)), so
# .ci/run prepares it while .venv is being installed.
wheel-env:
	@$(PYTHON) tools/test_wheel.py --work '$(WHEEL_WORK)' $(if $(strip $(TORCH_SPEC)),--torch '$(TORCH_SPEC)') \
		--torch-index '$(TORCH_INDEX)' \
		$(NOTEBOOKS)
	@$(PYTHON) tools/i18n stage '$(WHEEL_WORK)/run-ja/ja'

lint: $(INSTALLED)
	@echo "==> ruff check"
	@$(BIN)/ruff check .
	@$(MAKE) --no-print-directory lint-ja

# textlint (package.json) over the Japanese texts that tools/i18n writes out; without npm it says so.
# It runs again only when a Japanese text, the tools that write them out or the rules changed
# ($(LINT_JA_STAMP)), so .ci/run can lint beside the book build and `make test` does not lint twice.
LINT_JA_STAMP := _build/.textlint-passed
lint-ja: $(LINT_JA_STAMP)

$(LINT_JA_STAMP): $(INSTALLED) $(AXE) .textlintrc.yml package-lock.json \
		$(shell find locale/ja tools/i18n tconv_lib/messages/ja -type f -not -path '*/__pycache__/*' 2> /dev/null)
	@$(PY) tools/i18n lint-export _build/textlint > /dev/null
	@if [ -x node_modules/.bin/textlint ]; then echo "==> textlint (Japanese edition)"; \
		node_modules/.bin/textlint --config .textlintrc.yml _build/textlint && touch $@; \
	else echo "WARNING: textlint is not installed (npm missing): the Japanese texts were not linted" >&2; fi

test-quick: $(INSTALLED)
	@TCONV_DEVICE=cpu $(PY) -m pytest -q -n 2 -p no:nbval -m "not slow and not browser and not book" tests $(PYTEST_ARGS)

# The Japanese notebooks come last and replay the English notebooks' training (TCONV_REPLAY_DIR,
# tools/nb_replay.py): the same program with the same inputs, so every Japanese output is still
# compared without training twice.
test: lint $(INSTALLED) $(AXE) wheel-env
	@echo "==> pytest: tests/ + $(words $(NOTEBOOKS)) notebook(s) and their Japanese editions under nbval, each alone with only the wheel"
	@echo "==> notebooks run with another CPU's kernels and one thread: $(OTHER_CPU)"
	@rm -rf '$(WHEEL_WORK)/replay'
	@TCONV_DEVICE=cpu PYTHONHASHSEED=0 JUPYTER_PATH='$(WHEEL_WORK)/share/jupyter' $(OTHER_CPU) OMP_NUM_THREADS=1 \
		TCONV_REPLAY_DIR='$(WHEEL_WORK)/replay' \
		$(PY) -m pytest -c pyproject.toml --rootdir . $(PYTEST_FLAGS) --nbval-kernel-name tconv-wheel \
		'$(WHEEL_WORK)/run' tests '$(WHEEL_WORK)/run-ja' $(PYTEST_ARGS)

# English first, then their Japanese editions, which replay the English training (tools/nb_replay.py).
execute: $(INSTALLED)
	@replay="$$(mktemp -d)"; trap 'rm -rf "$$replay"' EXIT; export TCONV_REPLAY_DIR="$$replay"; \
		$(PY) tools/execute_notebooks.py $(or $(NB),$(NOTEBOOKS)) \
		$(if $(call JA_OF,$(or $(NB),$(NOTEBOOKS))),&& $(PY) tools/i18n build \
		$(patsubst locale/ja/book/%,%,$(call JA_OF,$(or $(NB),$(NOTEBOOKS)))) \
		&& $(PY) tools/execute_notebooks.py $(call JA_OF,$(or $(NB),$(NOTEBOOKS))))

# The training demonstrations (every chapter with a `SEED = 0` line) over seeds 0, 1, 2, each with
# this CPU's kernels and with OTHER_CPU's; prints each claim's smallest margin (tools/seed_check.py).
# Not part of `make test`: about 20 minutes on two cores. SEED_ARGS='--seeds 0 3 chapters/12_unet_decoders.ipynb'.
test-seeds: $(INSTALLED)
	@$(PY) tools/seed_check.py --other-cpu '$(OTHER_CPU)' $(SEED_ARGS)

test-gpu: $(INSTALLED)
	@$(PY) -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' \
		|| { echo "make test-gpu: no CUDA GPU visible to PyTorch" >&2; \
		     echo "  ($(VENV) has $$($(PY) -c 'import torch; print("torch", torch.__version__)');" \
		          "install a CUDA build of torch into it on a machine with an NVIDIA GPU)" >&2; \
		     exit 1; }
	@echo "==> pytest on GPU (TCONV_DEVICE=cuda): tests/ + $(words $(NOTEBOOKS)) notebook(s)"
	@TCONV_DEVICE=cuda PYTHONHASHSEED=0 \
		$(PY) -m pytest $(PYTEST_FLAGS) --nbval-current-env tests $(NOTEBOOKS) $(PYTEST_ARGS)

$(LAB_STAMP): $(INSTALLED)
	@echo "==> installing JupyterLab into $(VENV)"
	@$(PIP) install $(PINNED) -e '.[book,test,lab]'
	@touch $@

lab: $(LAB_STAMP)
	@$(BIN)/jupyter lab $(LAB_ARGS)

test-lab: $(LAB_STAMP)
	@TCONV_LAB_TEST=1 $(PY) -m pytest -p no:cacheprovider tests/test_lab.py $(PYTEST_ARGS)

student: $(INSTALLED)
	@$(PY) tools/edition.py --language '$(or $(strip $(EDITION_LANG)),en)' --out _student$(EDITION_SUFFIX) \
		$(if $(strip $(CHAPTERS)),--chapters $(CHAPTERS)) \
		$(if $(strip $(STUDENT_REPO)),--student-repo '$(STUDENT_REPO)')

$(GRADE_STAMP): $(INSTALLED)
	@echo "==> installing the grading tools (.[grade]: Otter-Grader) into $(VENV)"
	@$(PIP) install $(PINNED) -e '.[book,test,grade]'
	@touch $@

autograder: $(GRADE_STAMP)
	@$(PY) tools/autograder.py build --language '$(or $(strip $(EDITION_LANG)),en)' --out $(AUTOGRADER) \
		$(if $(strip $(CHAPTERS)),--chapters $(CHAPTERS))

# The grading tests (sandboxed grading of honest and hostile submissions); .ci/run calls it after
# `make test`. Grading runs one kernel at a time, so the three files run side by side on two workers
# (--dist loadfile: each file's bundle and submissions are built once, by the worker that runs it).
test-grading: $(GRADE_STAMP)
	@TCONV_GRADING=1 TCONV_DEVICE=cpu $(PY) -m pytest -p no:cacheprovider -n 2 --dist loadfile tests/test_grading.py \
		tests/test_grading_hostile.py tests/test_grading_ja.py $(PYTEST_ARGS)

grade: $(GRADE_STAMP)
	@test -n '$(SUBMISSIONS)' || { echo "make grade: set SUBMISSIONS=DIR (DIR/<student>/<NN_slug>.ipynb)" >&2; exit 2; }
	@$(PY) tools/autograder.py grade '$(SUBMISSIONS)' --bundle $(AUTOGRADER) --timeout '$(TIMEOUT)' \
		$(if $(strip $(ROSTER)),--roster '$(ROSTER)') $(if $(filter 1,$(UNSAFE)),--unsafe)

bench: $(INSTALLED)
	@$(PY) benchmarks/bench_reference.py

# Builds the book first if there is none; the browser measure needs /usr/bin/chromium (without it,
# only what the HTML names is counted).
.PHONY: weight
weight: $(INSTALLED)
	@test -f _build/html/index.html || $(MAKE) --no-print-directory book
	@$(PY) tools/page_weight.py

# Builds the book first unless _build/html is newer than every source.
test-browser: $(INSTALLED) $(AXE)
	@$(PY) -m pytest -p no:cacheprovider tests/test_browser.py tests/test_book_pages.py $(PYTEST_ARGS)

clean:
	rm -rf _build _student _student_ja _autograder _autograder_ja test-artifacts

distclean: clean
	rm -rf $(VENV) '$(WHEEL_WORK)'

FORCE:
