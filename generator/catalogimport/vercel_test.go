package catalogimport

import (
	"context"
	"testing"
)

// A legacy hyphenated name whose dotted twin is listed is dropped; an
// unexpected line fails the import.
func TestVercelDropsLegacyTwins(t *testing.T) {
	const head = "export declare const CreateWebhookEvents: {\n"
	f := fakeNPM(vercelSDK, map[string]string{vercelWebhookFile: head + `    readonly DeploymentReady: "deployment.ready";
    readonly DeploymentReadyHyphen: "deployment-ready";
    readonly DeploymentPreparedHyphen: "deployment-prepared";
};
`})
	_, err := importVercel(context.Background(), f, testOverlay())
	// Two events remain of three: the floor names how many were read.
	wantError(t, err, vercelWebhookFile, "2 events, fewer than the 100 expected")

	f = fakeNPM(vercelSDK, map[string]string{vercelWebhookFile: head + `    readonly DeploymentReady: "deployment.ready";
    readonly Other: SomeEnum.Value;
};
`})
	_, err = importVercel(context.Background(), f, testOverlay())
	wantError(t, err, vercelWebhookFile, "unexpected line")
}
