// Package version is the generator's version, recorded in manifests.
package version

// Version is set at release time with -ldflags "-X .../generator/version.Version=v1.2.3".
// Tests pin it, so a release build and a dev build render the same bytes.
var Version = "dev"
