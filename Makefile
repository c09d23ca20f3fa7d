# 工作简报 build. `make pdf` sets everything up on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EDITIONS := $(sort $(patsubst %/issue.yaml,%,$(wildcard issues/*/issue.yaml)))
LATEST := $(lastword $(EDITIONS))
# The year `make volume` binds: YEAR=2025, by default the latest edition's (folders are 年-月).
YEAR ?= $(firstword $(subst -, ,$(notdir $(LATEST))))
# Debian packages WeasyPrint and the checks need. libharfbuzz-subset0 makes font
# subsetting about 15× faster; poppler-utils gives pdftotext/pdftoppm. chromium and
# chromium-driver run the preview's browser test (headless, local pages only).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
                   libfontconfig1 poppler-utils python3-venv chromium chromium-driver
# pdf.js for `briefing preview`, installed from npm into node_modules/ (package.json).
PDFJS := node_modules/pdfjs-dist/build/pdf.min.mjs

.PHONY: pdf archive print volume test check bench bench-volume watch preview lint clean setup system-packages

pdf: setup
	@status=0; for edition in $(EDITIONS); do \
	  $(BIN)/briefing build "$$edition" || status=1; \
	done; exit $$status

archive: setup
	@status=0; for edition in $(EDITIONS); do \
	  $(BIN)/briefing build "$$edition" --variant archive || status=1; \
	done; exit $$status

print: setup
	@status=0; for edition in $(EDITIONS); do \
	  $(BIN)/briefing build "$$edition" --variant print || status=1; \
	done; exit $$status

volume: setup
	@test -n "$(wildcard issues/$(YEAR)-*)" || { echo "issues/ 中没有 $(YEAR) 年的期次（文件夹名应为 $(YEAR)-月）"; exit 2; }
	$(BIN)/briefing volume $(sort $(wildcard issues/$(YEAR)-*)) -o build/$(YEAR)-volume.pdf

test: setup
	$(BIN)/pytest -q

check: setup
	@status=0; for edition in $(EDITIONS); do \
	  $(BIN)/briefing check "build/$$(basename $$edition).pdf" --edition "$$edition" || status=1; \
	done; exit $$status

bench: setup
	$(BIN)/python -m benchmarks.bench

bench-volume: setup
	$(BIN)/python -m benchmarks.bench_volume

watch: setup
	$(BIN)/briefing watch $(LATEST)

preview: setup
	$(BIN)/briefing preview $(LATEST)

lint: setup
	$(BIN)/ruff check pipeline tests

setup: system-packages $(STAMP) $(PDFJS)

$(PDFJS): package.json
	npm install --no-audit --no-fund --omit=optional --loglevel=error
	touch $(PDFJS)

$(STAMP): pyproject.toml
	@echo "准备 Python 环境：在 $(VENV)/ 建立虚拟环境"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@echo "安装 Python 依赖（见 pyproject.toml）：$$($(PYTHON) -c 'import re,tomllib;d=tomllib.load(open("pyproject.toml","rb"));print("、".join(re.split(r"[<>=\[ ]",x)[0] for x in d["project"]["dependencies"]+d["project"]["optional-dependencies"]["dev"]))')"
	@$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "环境已就绪。"

system-packages:
	@missing=(); for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "ok installed" || missing+=("$$package"); \
	done; \
	command -v npm >/dev/null || missing+=(nodejs npm); \
	if [ $${#missing[@]} -gt 0 ]; then \
	  echo "安装系统依赖（apt-get）：$${missing[*]}"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "请以 root 身份运行：apt-get install -y $${missing[*]}"; exit 1; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq "$${missing[@]}" >/dev/null; \
	fi

clean:
	rm -rf build .pytest_cache .ruff_cache
