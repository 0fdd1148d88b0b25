// Conformance driver for the sdk_npm_*_test.go files: runs signature cases
// through the providers' own npm SDKs (and, for Trello, which publishes none,
// through Node's crypto as Atlassian's guide does).
//
// The Go test npm-installs the pinned packages into a temporary directory,
// copies this script there and runs it with that directory as its home, so
// the bare imports below resolve to the installed packages. Input on stdin:
//   {"cases": [{"id", "op", "body" (base64), "url", "key", "signature",
//               "encoding", "method", "timestamp", "msgId", "option", "headers"}]}
// Output on stdout:
//   {"node", "versions": {package: version}, "results": [{"id", "ok", "refusal", "signature", "key", "error"}]}
// A verifier that refuses by throwing reports ok=false and its message as
// "refusal"; any other case that throws reports "error" and ok=false. No
// case stops the run.
// "versions" lists the packages named in the PACKAGES environment variable
// (space-separated), read from their installed package.json.

import { createHmac, generateKeyPairSync, sign as cryptoSign } from "node:crypto";
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

// Loaded lazily and once: a run that needs only Node's crypto (Trello) works
// without them, and each SDK is imported by the first case that uses it.
const loaded = new Map();
async function sdk(name) {
  if (!loaded.has(name)) loaded.set(name, await load(name));
  return loaded.get(name);
}
async function load(name) {
  switch (name) {
    case "square":
      // CommonJS; WebhooksHelper.verifySignature is the v40+ API.
      return require("square");
    case "square/legacy":
      // The pre-v40 API the package still ships under square/legacy.
      return require("square/legacy");
    case "square-hmac":
      // The HMAC helper verifySignature itself calls. Not exported by the
      // package's "exports" map, so it is loaded by its file path.
      return require(join(here, "node_modules", "square", "core", "crypto", "createHmacOverride.js"));
    case "@octokit/webhooks-methods":
      return import("@octokit/webhooks-methods");
    case "@hubspot/api-client":
      return require("@hubspot/api-client");
    case "@linear/sdk/webhooks":
      // LinearWebhookClient; the package root's LinearWebhooks is a
      // deprecated alias of it.
      return import("@linear/sdk/webhooks");
    case "@sanity/webhook":
      return require("@sanity/webhook");
    case "@mux/mux-node": {
      const m = require("@mux/mux-node");
      const Mux = m.default || m.Mux || m;
      // No API call is made: the credentials only satisfy the constructor.
      return new Mux({ tokenId: "unused", tokenSecret: "unused" }).webhooks;
    }
    case "razorpay":
      return require("razorpay");
    case "discord-interactions":
      return require("discord-interactions");
    case "@sendgrid/eventwebhook":
      return require("@sendgrid/eventwebhook");
    case "twilio":
      return require("twilio");
    case "standardwebhooks":
      return require("standardwebhooks");
    case "box-node-sdk/managers":
      // WebhooksManager.validateMessage, the static verifier.
      return require("box-node-sdk/managers");
    case "box-node-sdk/internal":
      // computeWebhookSignature, which validateMessage calls.
      return require("box-node-sdk/internal");
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

// A form body as Express's urlencoded parser hands it to Twilio's
// validateExpressRequest: a repeated field becomes an array of its values.
function formParams(body) {
  const params = {};
  for (const [k, v] of new URLSearchParams(body)) {
    if (!(k in params)) params[k] = v;
    else if (Array.isArray(params[k])) params[k].push(v);
    else params[k] = [params[k], v];
  }
  return params;
}

// ok is false when f throws: the SDKs that report a refusal by throwing.
async function accepts(f) {
  try {
    await f();
    return { ok: true };
  } catch (e) {
    return { ok: false, refusal: String(e && e.message ? e.message : e) };
  }
}

async function run(c) {
  const raw = Buffer.from(c.body || "", "base64");
  const body = raw.toString("utf8");
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

    // HubSpot v3: Signature.isValid throws on a stale timestamp.
    case "hubspot.verify": {
      const { Signature } = await sdk("@hubspot/api-client");
      const opts = {
        signatureVersion: "v3", signature: c.signature, clientSecret: c.key,
        requestBody: body, url: c.url, method: c.method, timestamp: Number(c.timestamp),
      };
      try {
        return { ok: Signature.isValid(opts) };
      } catch (e) {
        return { ok: false, refusal: String(e && e.message ? e.message : e) };
      }
    }
    case "hubspot.sign": {
      const { Signature } = await sdk("@hubspot/api-client");
      const opts = { signatureVersion: "v3", clientSecret: c.key, requestBody: body, url: c.url, method: c.method, timestamp: Number(c.timestamp) };
      return { ok: true, signature: Signature.getSignature(c.method, "v3", opts) };
    }
    case "hubspot.documented":
      // base64(HMAC-SHA256(secret, method + uri + body + timestamp)), as
      // developers.hubspot.com documents v3, with node:crypto.
      return { ok: true, signature: createHmac("sha256", c.key).update(c.method + c.url + body + c.timestamp, "utf8").digest("base64") };

    // Linear: LinearWebhookClient.verify throws unless the hex HMAC matches
    // and the body's webhookTimestamp is within a minute of now. It has no
    // signer; linear.hmac is node:crypto's HMAC, which verify must accept.
    case "linear.verify": {
      const { LinearWebhookClient } = await sdk("@linear/sdk/webhooks");
      return accepts(() => new LinearWebhookClient(c.key).verify(raw, c.signature));
    }
    case "linear.hmac":
    case "razorpay.hmac":
      return { ok: true, signature: createHmac("sha256", c.key).update(raw).digest("hex") };

    // Sanity: isValidSignature(payload, header, secret); encodeSignatureHeader
    // writes the whole "t=<ms>,v1=<base64url>" header.
    case "sanity.verify": {
      const { isValidSignature } = await sdk("@sanity/webhook");
      return { ok: await isValidSignature(body, c.signature, c.key) };
    }
    case "sanity.sign": {
      const { encodeSignatureHeader } = await sdk("@sanity/webhook");
      return { ok: true, signature: await encodeSignatureHeader(body, Number(c.timestamp), c.key) };
    }

    // Mux: webhooks.verifySignature throws on a refusal; computeSignature is
    // the hex HMAC it compares with.
    case "mux.verify": {
      const webhooks = await sdk("@mux/mux-node");
      return accepts(() => webhooks.verifySignature(body, { "mux-signature": c.signature }, c.key));
    }
    case "mux.unwrap": {
      const webhooks = await sdk("@mux/mux-node");
      return accepts(() => webhooks.unwrap(body, { "mux-signature": c.signature }, c.key));
    }
    case "mux.sign": {
      const webhooks = await sdk("@mux/mux-node");
      return { ok: true, signature: await webhooks.computeSignature(`${c.timestamp}.${body}`, c.key) };
    }

    // Razorpay: the static Razorpay.validateWebhookSignature(body, signature, secret).
    case "razorpay.verify": {
      const Razorpay = await sdk("razorpay");
      return { ok: Razorpay.validateWebhookSignature(body, c.signature, c.key) };
    }

    // Discord: verifyKey(rawBody, signature, timestamp, publicKeyHex). It
    // has no signer: discord.sign makes a fresh Ed25519 key with node:crypto
    // and signs timestamp + body with it, returning the public key in hex.
    case "discord.verify": {
      const { verifyKey } = await sdk("discord-interactions");
      return { ok: await verifyKey(raw, c.signature, c.timestamp, c.key) };
    }
    case "discord.sign": {
      const { publicKey, privateKey } = generateKeyPairSync("ed25519");
      const spki = publicKey.export({ format: "der", type: "spki" });
      const sig = cryptoSign(null, Buffer.concat([Buffer.from(c.timestamp, "utf8"), raw]), privateKey);
      return { ok: true, signature: sig.toString("hex"), key: spki.subarray(spki.length - 32).toString("hex") };
    }

    // SendGrid: EventWebhook.verifySignature(convertPublicKeyToECDSA(base64
    // DER key), payload, signature, timestamp). sendgrid.sign makes a P-256
    // key with node:crypto and signs timestamp + body (ASN.1 DER, base64).
    case "sendgrid.verify": {
      const { EventWebhook } = await sdk("@sendgrid/eventwebhook");
      const ew = new EventWebhook();
      return { ok: ew.verifySignature(ew.convertPublicKeyToECDSA(c.key), body, c.signature, c.timestamp) };
    }
    case "sendgrid.sign": {
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const sig = cryptoSign("sha256", Buffer.concat([Buffer.from(c.timestamp, "utf8"), raw]), privateKey);
      return { ok: true, signature: sig.toString("base64"), key: publicKey.export({ format: "der", type: "spki" }).toString("base64") };
    }

    // Twilio: validateRequest(authToken, signature, url, params) for a form
    // body, validateRequestWithBody for a JSON body signed through
    // bodySHA256; getExpectedTwilioSignature is the signer they use. option
    // is the algorithm (HMAC_SHA1 unless given).
    case "twilio.verify": {
      const twilio = await sdk("twilio");
      return { ok: twilio.validateRequest(c.key, c.signature, c.url, formParams(body), c.option || undefined) };
    }
    case "twilio.verifyBody": {
      const twilio = await sdk("twilio");
      return { ok: twilio.validateRequestWithBody(c.key, c.signature, c.url, body, c.option || undefined) };
    }
    case "twilio.sign": {
      const twilio = await sdk("twilio");
      const params = c.url.includes("bodySHA256") ? null : formParams(body);
      return { ok: true, signature: twilio.getExpectedTwilioSignature(c.key, c.url, params, c.option || undefined) };
    }
    case "twilio.bodyHash": {
      const twilio = await sdk("twilio");
      return { ok: true, signature: twilio.getExpectedBodyHash(body) };
    }

    // Standard Webhooks: new Webhook(secret).verify(payload, headers) throws
    // on a refusal; sign(msgId, Date, payload) writes "v1,<base64>". verify
    // also parses the payload as JSON unless option is "nojson".
    case "standardwebhooks.verify": {
      const { Webhook } = await sdk("standardwebhooks");
      const headers = { "webhook-id": c.msgId, "webhook-timestamp": c.timestamp, "webhook-signature": c.signature };
      return accepts(() => new Webhook(c.key).verify(body, headers, { jsonParse: c.option !== "nojson" }));
    }
    case "standardwebhooks.sign": {
      const { Webhook } = await sdk("standardwebhooks");
      return { ok: true, signature: new Webhook(c.key).sign(c.msgId, new Date(Number(c.timestamp) * 1000), body) };
    }

    // Box: WebhooksManager.validateMessage(body, headers, primaryKey,
    // {secondaryKey}) and computeWebhookSignature(body, headers, key,
    // escapeBody), which it calls. Box sends the version and algorithm
    // headers with every delivery; c.headers overrides them.
    case "box.verify": {
      const { WebhooksManager } = await sdk("box-node-sdk/managers");
      const headers = {
        "box-signature-version": "1", "box-signature-algorithm": "HmacSHA256",
        "box-delivery-timestamp": c.timestamp, "box-signature-primary": c.signature, ...(c.headers || {}),
      };
      return { ok: await WebhooksManager.validateMessage(body, headers, c.key, c.option ? { secondaryKey: c.option } : {}) };
    }
    case "box.sign": {
      const { computeWebhookSignature } = await sdk("box-node-sdk/internal");
      const headers = { "box-signature-version": "1", "box-signature-algorithm": "HmacSHA256", "box-delivery-timestamp": c.timestamp };
      return { ok: true, signature: await computeWebhookSignature(body, headers, c.key, c.option === "escaped") };
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
for (const p of (process.env.PACKAGES || "square @octokit/webhooks-methods").split(" ").filter(Boolean)) {
  const v = version(p);
  if (v) versions[p] = v;
}
process.stdout.write(JSON.stringify({ node: process.version, versions, results }) + "\n");
