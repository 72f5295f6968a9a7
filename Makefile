# Build and test the tconv course.
#
#   make book       build the HTML book (Jupyter Book 1), print the path to index.html
#                   (BOOK_ARGS= for Sphinx's full progress output)
#   make test       unit tests + nbval over every notebook, in parallel
#   make test-browser  only the browser test: the built book offline in headless
#                   Chromium (/usr/bin/chromium; screenshots in test-artifacts/)
#   make execute    re-run notebooks top to bottom in a fresh kernel (NB=path for one)
#   make test-gpu   the test suite with TCONV_DEVICE=cuda (needs a CUDA build of torch)
#   make lab        open the notebooks in JupyterLab
#   make bench      time tconv_lib's conv_transpose2d paths against PyTorch (not a test)
#   make student    student edition, no solutions anywhere, in _student/ (built HTML in
#                   _student/_build/html); CHAPTERS="02 03 04" for a subset
#   make clean      remove _build/ and test-artifacts/
#
# Every target that needs Python creates .venv/ on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON     ?= python3
VENV       ?= .venv
TORCH_SPEC ?= torch==2.13.0
PYTEST_ARGS ?=
BOOK_ARGS  ?= -q
LAB_ARGS   ?=
NB         ?=
CHAPTERS   ?=

BIN   := $(VENV)/bin
PY    := $(BIN)/python
PIP   := $(PY) -m pip --quiet --disable-pip-version-check

# Only notebooks that exist are passed on, so an empty exercises/ is fine.
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb)) $(sort $(wildcard exercises/*.ipynb))

# Kernel start-up gets 180 s instead of nbval's 60: on a cold machine where
# many workers start kernels at once, importing torch alone can take a minute.
PYTEST_FLAGS := -p no:cacheprovider -n 2 --dist loadscope --durations=15 \
	--nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg \
	--nbval-kernel-startup-timeout=180

INSTALLED  := $(VENV)/.installed
TORCH_STAMP := $(VENV)/.torch-spec
LAB_STAMP  := $(VENV)/.lab-installed

.PHONY: help book test test-browser execute test-gpu lab bench student clean distclean venv FORCE

help:
	@sed -n '1,15s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

venv: $(INSTALLED)

# Records TORCH_SPEC so that changing it (e.g. to a CUDA build) reinstalls torch.
$(TORCH_STAMP): FORCE
	@mkdir -p $(VENV)
	@echo '$(TORCH_SPEC)' | cmp -s - $@ || echo '$(TORCH_SPEC)' > $@

# torch is installed first, pinned, so that `torch>=2.1` in pyproject.toml is
# already satisfied and pip never fetches a multi-GB CUDA wheel on its own.
$(INSTALLED): pyproject.toml $(TORCH_STAMP)
	@echo "==> setting up $(VENV) (python, $(TORCH_SPEC), .[book,test])"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install '$(TORCH_SPEC)'
	@$(PIP) install -e '.[book,test]'
	@# Kernel spec "python3" inside the venv, pointing at the venv's interpreter.
	@$(PY) -m ipykernel install --sys-prefix --name python3 \
		--display-name 'Python 3 (ipykernel)' > /dev/null
	@touch $@
	@echo "==> $(VENV) ready: $$($(PY) -c 'import torch; print("torch", torch.__version__)')"

book: $(INSTALLED)
	@echo "==> jupyter-book build (warnings are errors)"
	@$(BIN)/jupyter-book build . -W -n --keep-going $(BOOK_ARGS)
	@echo "==> book: $(CURDIR)/_build/html/index.html"

test: $(INSTALLED)
	@echo "==> pytest: tests/ + $(words $(NOTEBOOKS)) notebook(s) under nbval"
	@TCONV_DEVICE=cpu PYTHONHASHSEED=0 \
		$(PY) -m pytest $(PYTEST_FLAGS) tests $(NOTEBOOKS) $(PYTEST_ARGS)

execute: $(INSTALLED)
	@$(PY) tools/execute_notebooks.py $(or $(NB),$(NOTEBOOKS))

test-gpu: $(INSTALLED)
	@$(PY) -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' \
		|| { echo "make test-gpu: no CUDA GPU visible to PyTorch" >&2; \
		     echo "  ($(VENV) has $$($(PY) -c 'import torch; print("torch", torch.__version__)');" \
		          "install a CUDA build of torch into it on a machine with an NVIDIA GPU)" >&2; \
		     exit 1; }
	@echo "==> pytest on GPU (TCONV_DEVICE=cuda): tests/ + $(words $(NOTEBOOKS)) notebook(s)"
	@TCONV_DEVICE=cuda PYTHONHASHSEED=0 \
		$(PY) -m pytest $(PYTEST_FLAGS) tests $(NOTEBOOKS) $(PYTEST_ARGS)

$(LAB_STAMP): $(INSTALLED)
	@echo "==> installing JupyterLab into $(VENV)"
	@$(PIP) install -e '.[book,test,lab]'
	@touch $@

lab: $(LAB_STAMP)
	@$(BIN)/jupyter lab $(LAB_ARGS)

student: $(INSTALLED)
	@$(PY) -m tconv_lib.edition --out _student $(if $(strip $(CHAPTERS)),--chapters $(CHAPTERS))

bench: $(INSTALLED)
	@$(PY) benchmarks/bench_reference.py

# Builds the book first unless _build/html is newer than every source.
test-browser: $(INSTALLED)
	@$(PY) -m pytest -p no:cacheprovider tests/test_browser.py $(PYTEST_ARGS)

clean:
	rm -rf _build _student test-artifacts

distclean: clean
	rm -rf $(VENV)

FORCE:
