import { verifyAudit } from '#app/verifyAudit.ts';
import { hasRole } from '#domain/actor.ts';
import { auditCaseRoute } from '#http/adminRoutes.ts';
import { authenticate } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { logger, metrics } from '#http/observability.ts';
import { HttpProblem } from '#http/problem.ts';
import { cases } from '../deps.ts';

const deps = { cases: cases() };

export const handler = httpHandler(auditCaseRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  if (!hasRole(actor, 'supervisor') && !hasRole(actor, 'admin')) {
    throw new HttpProblem(403, 'verifying an audit trail is for the entity’s supervisors and admins');
  }
  const { radicado } = request.params;
  // Another entity's case is not found, like an unknown radicado.
  const report = await verifyAudit(deps, radicado, { entityId: actor.entityId });
  if (!report.ok) {
    logger.warn('audit trail broken', { radicado, brokenAt: report.brokenAt, reason: report.reason });
    metrics.addMetric('AuditTrailBroken', 'Count', 1);
  }
  return { status: 200, body: report };
});
