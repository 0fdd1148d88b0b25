// Conformance driver for sdk_npm_test.go: runs signature cases through the
// providers' own npm SDKs (and, for Trello, which publishes none, through
// Node's crypto as Atlassian's guide does).
//
// The Go test npm-installs the pinned packages into a temporary directory,
// copies this script there and runs it with that directory as its home, so
// the bare imports below resolve to the installed packages. Input on stdin:
//   {"cases": [{"id", "op", "body" (base64), "url", "key", "signature", "encoding"}]}
// Output on stdout:
//   {"node", "versions": {package: version}, "results": [{"id", "ok", "signature", "error"}]}
// A case that throws reports the error and ok=false; it never stops the run.

import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

// Loaded lazily: a run that needs only Node's crypto (Trello) works without them.
let square, squareLegacy, squareHmac, octokit;
async function sdk(name) {
  switch (name) {
    case "square":
      // CommonJS; WebhooksHelper.verifySignature is the v40+ API.
      square ??= require("square");
      return square;
    case "square/legacy":
      // The pre-v40 API the package still ships under square/legacy.
      squareLegacy ??= require("square/legacy");
      return squareLegacy;
    case "square-hmac":
      // The HMAC helper verifySignature itself calls. Not exported by the
      // package's "exports" map, so it is loaded by its file path.
      squareHmac ??= require(join(here, "node_modules", "square", "core", "crypto", "createHmacOverride.js"));
      return squareHmac;
    case "@octokit/webhooks-methods":
      octokit ??= await import("@octokit/webhooks-methods");
      return octokit;
  }
  throw new Error("unknown sdk " + name);
}

// The documented Trello algorithm (developer.atlassian.com/cloud/trello/guides/rest-api/webhooks,
// "Webhook signatures"): base64 HMAC-SHA1, keyed with the application secret,
// of the body followed by the callbackURL. Modern Node hashes a string as
// UTF-8; Trello documents that its own signer treats the text as a "binary"
// (latin1) string, so encoding "latin1" reproduces that.
function trelloDigest(key, text, encoding) {
  return createHmac("sha1", key).update(text, encoding || "utf8").digest("base64");
}

async function run(c) {
  const body = Buffer.from(c.body || "", "base64").toString("utf8");
  switch (c.op) {
    case "square.verify": {
      const { WebhooksHelper } = await sdk("square");
      const ok = await WebhooksHelper.verifySignature({
        requestBody: body,
        signatureHeader: c.signature,
        signatureKey: c.key,
        notificationUrl: c.url,
      });
      return { ok };
    }
    case "square.legacyVerify": {
      const { WebhooksHelper } = await sdk("square/legacy");
      return { ok: WebhooksHelper.isValidWebhookEventSignature(body, c.signature, c.key, c.url) };
    }
    case "square.sign": {
      const { createHmacOverride } = await sdk("square-hmac");
      return { ok: true, signature: await createHmacOverride(c.url + body, c.key) };
    }
    case "trello.sign":
      return { ok: true, signature: trelloDigest(c.key, body + c.url, c.encoding) };
    case "trello.verify":
      return { ok: trelloDigest(c.key, body + c.url) === c.signature };
    case "github.sign": {
      const { sign } = await sdk("@octokit/webhooks-methods");
      return { ok: true, signature: await sign(c.key, body) };
    }
    case "github.verify": {
      const { verify } = await sdk("@octokit/webhooks-methods");
      return { ok: await verify(c.key, body, c.signature) };
    }
  }
  throw new Error("unknown op " + c.op);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const results = [];
for (const c of input.cases) {
  try {
    results.push({ id: c.id, ...(await run(c)) });
  } catch (e) {
    results.push({ id: c.id, ok: false, error: String(e && e.message ? e.message : e) });
  }
}
const versions = {};
for (const p of ["square", "@octokit/webhooks-methods"]) {
  const v = version(p);
  if (v) versions[p] = v;
}
process.stdout.write(JSON.stringify({ node: process.version, versions, results }) + "\n");
