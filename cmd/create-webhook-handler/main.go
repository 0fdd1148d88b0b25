// Command create-webhook-handler scaffolds webhook receiver services.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
