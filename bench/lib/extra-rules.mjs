// Generated extra rules for the scaling and compile benchmarks. Each rule belongs to a tenant
// (`principal.department == "tenant-N"`) no measured request comes from, so none can apply to
// the measured requests: a good index skips them all. Rules look like real ones: an action
// constraint, ownership or role checks, a classification test, a reason template; every fourth
// is a forbid, every tenth has annotations.
const ACTIONS = ["read", "comment", "write", "delete", "share"];
const CLASSIFICATIONS = ["public", "internal", "confidential", "secret"];

export function extraRules(count, startTenant = 0) {
  const out = ["package documents", ""];
  for (let i = 0; i < count; i++) {
    const tenant = `tenant-${startTenant + Math.floor(i / 5)}`;
    const action = ACTIONS[i % ACTIONS.length];
    const cls = CLASSIFICATIONS[(i >> 2) % CLASSIFICATIONS.length];
    if (i % 10 === 0) out.push(`@id("X-${i}")`, `@severity("medium")`);
    if (i % 4 === 3) {
      out.push(
        `forbid extra_${i} {`,
        `  when principal.department == "${tenant}"`,
        `  when action == "${action}"`,
        `  when resource.classification == "${cls}"`,
        `  unless "cleared" in principal.roles`,
        `  reason "{principal.id} may not ${action} {resource.id} in ${tenant}"`,
        `}`,
        "",
      );
    } else {
      out.push(
        `permit extra_${i} {`,
        `  when principal.department == "${tenant}"`,
        `  when action == "${action}"`,
        `  when resource.owner == principal.id or "editor" in principal.roles`,
        `  reason "{principal.id} may ${action} in ${tenant}"`,
        `}`,
        "",
      );
    }
  }
  return out.join("\n");
}
