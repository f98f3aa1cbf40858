# compute-divide: the pipeline. Targets are files; every file under stages/ and outputs/ is a
# cache you may delete. Recipes are listed in stage order: fetch → parse → dedupe → classify →
# aggregate → render.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

# Where the offline upstream snapshot lives (read-only; never copied into git).
SNAPSHOT ?= ../shared/snapshot
# STRICT=1: a stage exits 3 (and Make stops) on any rejected record or file.
STRICT ?= 0
export STRICT
# Swift build configuration and folder for the stage executables.
CONFIG ?= release
SCRATCH ?= .build
SWIFT_BUILD := swift build -c $(CONFIG) --scratch-path $(SCRATCH)
BIN := $(SCRATCH)/$(CONFIG)

F := stages/fetch
P := stages/parse
D := stages/dedupe
C := stages/classify
A := stages/aggregate
O := outputs

SWIFT_SOURCES := Package.swift $(shell find Sources -name '*.swift' -o -name '*.h' -o -name '*.modulemap')
STAGE_BINS := $(addprefix $(BIN)/,fetch parse dedupe classify aggregate render)

.PHONY: all build fetch parse dedupe classify aggregate render test clean help
.DEFAULT_GOAL := all

all: $(O)/report.html $(D)/papers.ndjson.gz ## Run the whole pipeline (snapshot → outputs/report.html)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

# ---- build ------------------------------------------------------------------------------
# One swift build makes all six executables; the stamp changes only when a binary did, so a
# rebuild that changes nothing does not rerun the stages.
build: $(BIN)/.stamp ## Build the stage executables
$(BIN)/.stamp: $(SWIFT_SOURCES) | $(SCRATCH)/.system-deps
	$(SWIFT_BUILD)
	@touch $@
$(STAGE_BINS): $(BIN)/.stamp ;

# The C libraries the package links (Debian: libxml2-dev, zlib1g-dev); installed when missing.
$(SCRATCH)/.system-deps:
	@pkg-config --exists libxml-2.0 zlib 2>/dev/null || { \
	  echo "installing libxml2-dev zlib1g-dev pkg-config (needs root)"; \
	  apt-get update -qq && apt-get install -y -qq libxml2-dev zlib1g-dev pkg-config; }
	@mkdir -p $(@D) && touch $@

# ---- fetch ------------------------------------------------------------------------------
fetch: $(F)/epoch.manifest.ndjson.gz $(F)/arxiv.manifest.ndjson.gz $(F)/paperlists.manifest.ndjson.gz $(F)/acl.manifest.ndjson.gz ## Fetch upstream payloads (offline: copy from SNAPSHOT)
$(F)/epoch.manifest.ndjson.gz: $(BIN)/fetch $(wildcard $(SNAPSHOT)/epoch/*)
	$(BIN)/fetch --snapshot $(SNAPSHOT) --source epoch --output $(F)
$(F)/arxiv.manifest.ndjson.gz: $(BIN)/fetch $(wildcard $(SNAPSHOT)/arxiv-oai/*/*)
	$(BIN)/fetch --snapshot $(SNAPSHOT) --source arxiv --output $(F)
$(F)/paperlists.manifest.ndjson.gz: $(BIN)/fetch $(wildcard $(SNAPSHOT)/paperlists/*/*)
	$(BIN)/fetch --snapshot $(SNAPSHOT) --source paperlists --output $(F)
$(F)/acl.manifest.ndjson.gz: $(BIN)/fetch $(wildcard $(SNAPSHOT)/acl-anthology/*)
	$(BIN)/fetch --snapshot $(SNAPSHOT) --source acl --output $(F)

# ---- parse ------------------------------------------------------------------------------
parse: $(P)/models.ndjson.gz $(P)/arxiv.ndjson.gz $(P)/paperlists.ndjson.gz $(P)/acl.ndjson.gz ## Parse payloads into records
$(P)/models.ndjson.gz: $(F)/epoch.manifest.ndjson.gz $(BIN)/parse
	$(BIN)/parse epoch --manifest $< --output $@ --rejects $(P)/models.rejects.ndjson.gz
# One target per paper source, so `make -j2` parses them side by side.
$(P)/arxiv.ndjson.gz $(P)/paperlists.ndjson.gz $(P)/acl.ndjson.gz: $(P)/%.ndjson.gz: $(F)/%.manifest.ndjson.gz $(BIN)/parse
	$(BIN)/parse $* --manifest $< --output $@ --rejects $(P)/$*.rejects.ndjson.gz --file-report $(P)/$*.files.ndjson.gz

# ---- dedupe -----------------------------------------------------------------------------
dedupe: $(D)/models.ndjson.gz $(D)/papers.ndjson.gz ## Merge duplicate records
$(D)/models.ndjson.gz: $(P)/models.ndjson.gz $(BIN)/dedupe
	$(BIN)/dedupe models --input $< --output $@ --merges $(D)/models.merges.ndjson.gz

$(D)/papers.ndjson.gz: $(P)/arxiv.ndjson.gz $(P)/paperlists.ndjson.gz $(P)/acl.ndjson.gz $(BIN)/dedupe
	$(BIN)/dedupe papers --input $(P)/arxiv.ndjson.gz --input $(P)/paperlists.ndjson.gz --input $(P)/acl.ndjson.gz \
	  --output $@ --merges $(D)/papers.merges.ndjson.gz

# ---- classify ---------------------------------------------------------------------------
classify: $(C)/models.ndjson.gz ## Classify sectors, team types, topics
$(C)/models.ndjson.gz: $(D)/models.ndjson.gz $(BIN)/classify
	$(BIN)/classify models --input $< --output $@

# ---- aggregate --------------------------------------------------------------------------
aggregate: $(A)/models.drilldown.ndjson.gz ## Compute the tables
$(A)/models.drilldown.ndjson.gz: $(C)/models.ndjson.gz $(BIN)/aggregate
	$(BIN)/aggregate models --input $< --output-dir $(A)

# ---- render -----------------------------------------------------------------------------
render: $(O)/report.html ## Write outputs/report.html, figures and CSV tables
$(O)/report.html: $(A)/models.drilldown.ndjson.gz $(C)/models.ndjson.gz $(F)/epoch.manifest.ndjson.gz $(BIN)/render
	$(BIN)/render --aggregate $(A) --models $(C)/models.ndjson.gz --fetch $(F) --stages stages --output $(O) \
	  --code-version "$$(git describe --always --dirty 2>/dev/null || echo unknown)"

# ---- check ------------------------------------------------------------------------------
.PHONY: check
check: $(O)/report.html $(D)/papers.ndjson.gz ## Verify every stage's counts reconcile and each link of the chain matches
	$(BIN)/render check stages
# The tests reconcile the real pipeline's chain too.
test: check

# ---- tests ------------------------------------------------------------------------------
# Library tests first, then independent cross-checks of the pipeline's outputs on the snapshot.
test: $(O)/report.html $(D)/papers.ndjson.gz | $(SCRATCH)/.system-deps ## Run the tests (unit tests + cross-checks against the snapshot)
	SNAPSHOT=$(abspath $(SNAPSHOT)) DIVIDE_BIN=$(abspath $(BIN)) swift test --scratch-path $(SCRATCH)
	python3 Tests/crosscheck/epoch_crosscheck.py $(SNAPSHOT) $(O)/tables
	python3 Tests/crosscheck/papers_crosscheck.py $(SNAPSHOT) stages

clean: ## Delete every stage output and the report (the caches); keeps the build
	rm -rf $(F)/*/ $(F)/*.gz $(F)/*.json $(P)/*.gz $(P)/*.json $(D)/*.gz $(D)/*.json \
	  $(C)/*.gz $(C)/*.json $(A)/*.gz $(A)/*.json $(O)/report.html $(O)/summary.md $(O)/figures $(O)/tables/*.csv
