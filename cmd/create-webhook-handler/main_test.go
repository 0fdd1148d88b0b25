package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/create-webhook-handler/create-webhook-handler/generator/version"
)

func TestMain(m *testing.M) {
	version.Version = "test" // pinned, so scripts see the same bytes in every build
	testscript.Main(m, map[string]func(){
		"create-webhook-handler": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		// expect-exit N ARGS... runs the CLI and passes only if it exits N,
		// so scripts can tell "found a problem" (1) from "could not run" (2).
		"expect-exit": func() {
			want, err := strconv.Atoi(os.Args[1])
			if err != nil {
				fmt.Fprintln(os.Stderr, "expect-exit: first argument must be the exit code")
				os.Exit(100)
			}
			if got := run(os.Args[2:], os.Stdin, os.Stdout, os.Stderr); got != want {
				fmt.Fprintf(os.Stderr, "expect-exit: exit code %d, want %d\n", got, want)
				os.Exit(100)
			}
			os.Exit(0)
		},
	})
}

// TestScripts runs testdata/script/*.txtar: the CLI contract as a user sees it.
// UPDATE_SCRIPTS=1 rewrites the expected outputs in the scripts.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "../../testdata/script",
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			// Scripts build the projects they generate: share this machine's
			// module and build caches instead of downloading into $WORK.
			for _, k := range []string{"GOMODCACHE", "GOCACHE", "GOPATH", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN"} {
				if v := goEnv(k); v != "" {
					env.Setenv(k, v)
				}
			}
			return nil
		},
	})
}

func goEnv(key string) string {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
