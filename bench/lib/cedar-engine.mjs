// Cedar engine for the documents benchmark: the policy in bench/cedar/documents.cedar, pre-parsed
// once (preparsePolicySet) and evaluated with statefulIsAuthorized. Entities (the principal and
// the resource) and the context are built per request from the same request JSON the other
// engines get — that conversion is part of the measured cost, as it would be in a service.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cedar = require("@cedar-policy/cedar-wasm/nodejs");

export function makeCedarDecide() {
  const text = readFileSync(new URL("../cedar/documents.cedar", import.meta.url), "utf8");
  const parsed = cedar.preparsePolicySet("documents", { staticPolicies: text });
  if (parsed.type !== "success") throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
  return function decide(req) {
    const p = req.principal;
    const r = req.resource;
    const principal = { type: "User", id: p.id };
    const resource = { type: "Document", id: r.id };
    const attrs = { owner: r.owner, department: r.department, classification: r.classification, legal_hold: r.legal_hold };
    if (r.shared_with !== undefined) attrs.shared_with = r.shared_with;
    const answer = cedar.statefulIsAuthorized({
      principal,
      action: { type: "Action", id: req.action },
      resource,
      context: { mfa: req.context.mfa, ip: { __extn: { fn: "ip", arg: req.context.ip } }, now: req.context.now },
      preparsedPolicySetId: "documents",
      entities: [
        { uid: principal, attrs: { id: p.id, roles: p.roles, department: p.department }, parents: [] },
        { uid: resource, attrs, parents: [] },
      ],
    });
    if (answer.type !== "success") throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
    return answer.response.decision === "allow";
  };
}
