# create-webhook-handler: common tasks. `make help` lists them.
GO ?= go
BIN := bin/create-webhook-handler
DEMO_DIR ?= demo-service
PIN_DIR := $(shell mktemp -u /tmp/cwh-pin.XXXXXX)

.PHONY: help build demo test test-short conformance golden scripts pin fuzz lint bench refresh-ipranges catalog

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

build: ## build the CLI into bin/
	$(GO) build -o $(BIN) ./cmd/create-webhook-handler

demo: build ## scaffold a Stripe+GitHub+Shopify service in $(DEMO_DIR) and run it on :8080
	./$(BIN) init $(DEMO_DIR) --module example.com/demo --provider stripe --provider github --provider shopify --no-input
	cd $(DEMO_DIR) && STRIPE_WEBHOOK_SECRET=whsec_demo GITHUB_WEBHOOK_SECRET=demo-github-secret \
		SHOPIFY_WEBHOOK_SECRET=demo-shopify-secret $(GO) run ./cmd/server

test: lint ## every test: unit, CLI scripts, golden projects built and tested, real payloads, bounded fuzzing
	$(GO) test -count=1 -timeout 25m ./...
	$(GO) test -count=1 -race -timeout 10m ./templates/runtime/... ./generator/prompt/
	$(MAKE) fuzz FUZZTIME=10s

test-short: ## the fast tests only (no golden builds, no npm)
	$(GO) test -count=1 -short ./...

conformance: ## refresh schemas/conformance.json (what the verify tests prove per provider; providers list shows it)
	UPDATE_CONFORMANCE=1 $(GO) test -count=1 ./templates/runtime/verify

golden: ## refresh testdata/golden after an intended template change
	UPDATE_GOLDEN=1 $(GO) test -count=1 ./generator/render -run 'TestGolden$$'

scripts: ## refresh the expected output in testdata/script
	UPDATE_SCRIPTS=1 $(GO) test -count=1 ./cmd/create-webhook-handler -run TestScripts

pin: ## refresh the pinned go.mod/go.sum of generated services, at the versions this repository tests
	rm -rf $(PIN_DIR)
	$(GO) run ./cmd/create-webhook-handler init $(PIN_DIR) --module example.com/pin \
		$(foreach p,$(shell $(GO) run ./cmd/create-webhook-handler providers list | awk 'NR>1{print $$1}'),--provider $(p)) --no-input
	cd $(PIN_DIR) && for m in $$(cd $(CURDIR) && $(GO) list -deps -test -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}' ./templates/runtime/... | sort -u); do \
		$(GO) mod edit -require=$$m; done && $(GO) mod tidy
	sed -n '/^go /,$$p' $(PIN_DIR)/go.mod > templates/project/go.mod.pinned
	cp $(PIN_DIR)/go.sum templates/project/go.sum.pinned
	rm -rf $(PIN_DIR)
	$(MAKE) golden

refresh-ipranges: ## fetch the webhook IP ranges GitHub, Stripe and Paddle publish into the ipAllowlist presets (templates/runtime/ipranges), dated today
	$(GO) run ./cmd/refresh-ipranges

BENCH_FLAGS ?= -clients 32 -duration 10s
bench: ## load-test the generated service (SQLite; Postgres too with TEST_DATABASE_URL) beside a bare baseline, time the generator, print a markdown table (BENCH_LONG=1: add 60 s memory runs)
	$(GO) run ./cmd/webhook-bench $(BENCH_FLAGS)

FUZZTIME ?= 60s
fuzz: ## run each fuzzer (header parsers, event type/id extraction, schema parsing and Go type generation) for FUZZTIME; a crash found becomes a regression test under testdata/fuzz
	$(GO) test ./templates/runtime/verify -run XXX -fuzz FuzzHMACHeader -fuzztime $(FUZZTIME)
	$(GO) test ./templates/runtime/verify -run XXX -fuzz FuzzTimestampedHMACHeader -fuzztime $(FUZZTIME)
	$(GO) test ./templates/runtime/verify -run XXX -fuzz FuzzSeparateHeaders -fuzztime $(FUZZTIME)
	$(GO) test ./templates/runtime/verify -run XXX -fuzz FuzzURLSignature -fuzztime $(FUZZTIME)
	$(GO) test ./templates/runtime/verify -run XXX -fuzz FuzzTokenAndBasicAuth -fuzztime $(FUZZTIME)
	$(GO) test ./templates/runtime/verify -run XXX -fuzz FuzzPublicKeyHeaders -fuzztime $(FUZZTIME)
	$(GO) test ./templates/runtime/receive -run XXX -fuzz FuzzEventFields -fuzztime $(FUZZTIME)
	$(GO) test ./generator/gotypes -run XXX -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./generator/gotypes -run XXX -fuzz FuzzGenerate -fuzztime $(FUZZTIME)

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: ## gofmt, go vet and staticcheck (pinned)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'))" || (gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'); echo 'gofmt needed'; exit 1)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

catalog: ## re-import the event catalogues (github, stripe, shopify and the name lists: go run ./cmd/import-catalog -h) from their pinned sources into schemas/; providers/*.overlay.json are what people write
	$(GO) run ./cmd/import-catalog
