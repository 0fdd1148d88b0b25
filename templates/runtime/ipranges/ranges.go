package ipranges

// presets are the providers' published webhook source addresses, each with
// where and when it was taken. `go run ./cmd/refresh-ipranges` in the
// generator's repository rewrites this file.
var presets = map[string]preset{
	"github": {
		Source: "https://api.github.com/meta (hooks), not fetched: copied from github_hooks.ipset in the public repository ConfigServerApps/service-blocklists (updated 2026-09-16, no source named there); other public copies agree",
		Date:   "2026-09-16",
		CIDRs: []string{
			"140.82.112.0/20",
			"143.55.64.0/20",
			"185.199.108.0/22",
			"192.30.252.0/22",
			"2606:50c0::/32",
			"2a0a:a440::/29",
		},
	},
	"paddle": {
		Source: "https://api.paddle.com/ips (data.ipv4_cidrs), not fetched: copied from Paddle's docs, https://developer.paddle.com/webhooks/respond-to-webhooks (Live), as captured in a public repository on 2025-12-15",
		Date:   "2025-12-15",
		CIDRs: []string{
			"34.195.105.136/32",
			"34.212.5.7/32",
			"34.232.58.13/32",
			"34.237.3.244/32",
			"35.155.119.135/32",
			"52.11.166.252/32",
		},
	},
	"paddle-sandbox": {
		Source: "https://sandbox-api.paddle.com/ips (data.ipv4_cidrs), not fetched: copied from Paddle's docs, https://developer.paddle.com/webhooks/respond-to-webhooks (Sandbox), as captured in a public repository on 2025-12-15",
		Date:   "2025-12-15",
		CIDRs: []string{
			"3.208.120.145/32",
			"34.194.127.46/32",
			"44.226.236.210/32",
			"44.241.183.62/32",
			"54.234.237.108/32",
			"100.20.172.113/32",
		},
	},
	"stripe": {
		Source: "https://stripe.com/files/ips/ips_webhooks.json (WEBHOOKS), not fetched: copied from stripe_webhooks.ipset in the public repository ConfigServerApps/service-blocklists, its mirror of https://stripe.com/files/ips/ips_webhooks.txt (updated 2026-09-12 and 2026-09-16, identical)",
		Date:   "2026-09-16",
		CIDRs: []string{
			"3.18.12.63/32",
			"3.69.109.8/32",
			"3.120.168.93/32",
			"3.130.192.231/32",
			"13.235.14.237/32",
			"13.235.122.149/32",
			"18.211.135.69/32",
			"35.154.171.200/32",
			"35.157.207.129/32",
			"52.15.183.38/32",
			"54.88.130.119/32",
			"54.88.130.237/32",
			"54.187.174.169/32",
			"54.187.205.235/32",
			"54.187.216.72/32",
		},
	},
}
