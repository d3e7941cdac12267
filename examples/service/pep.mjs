// The policy enforcement point: HTTP middleware that builds an Edict request from the HTTP
// request (who from the session, what from the route, which document from the store, context
// from the connection), asks the enforcer, and either calls the handler or answers 403 with
// the reasons and the decision id (the key to the audit record).
export function enforce(enforcer, { principalOf, resourceOf, action }) {
  return (handler) => async (req, res, params) => {
    const principal = principalOf(req);
    if (!principal) return send(res, 401, { error: "unknown user: send `x-user: alice`" });
    const resource = resourceOf(params);
    if (!resource) return send(res, 404, { error: `no document \`${params.id}\`` });
    const request = {
      principal,
      action,
      resource,
      context: {
        mfa: req.headers["x-mfa"] === "true",
        // a demo: trust x-forwarded-for so the driver can pretend to be on the corporate network
        ip: String(req.headers["x-forwarded-for"] ?? req.socket.remoteAddress ?? "0.0.0.0").replace(/^::ffff:/, ""),
        now: new Date().toISOString(),
        // recorded masked (`mask: ["context.session"]`): correlatable, never readable
        session: String(req.headers.authorization ?? ""),
      },
    };
    const override = req.headers["x-override-by"] ? { by: String(req.headers["x-override-by"]), justification: String(req.headers["x-override-why"] ?? "") } : undefined;
    const decision = enforcer.decide(request, override ? { override } : undefined);
    res.setHeader("x-decision-id", decision.decisionId);
    if (!decision.allowed) {
      return send(res, 403, {
        error: "forbidden",
        decisionId: decision.decisionId,
        reasons: decision.reasons.map((r) => ({ rule: r.rule, message: r.message, id: r.id })),
      });
    }
    return handler(req, res, params, request);
  };
}

export function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body) + "\n");
}
