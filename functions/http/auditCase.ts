import { verifyAudit } from '#app/verifyAudit.ts';
import { on, serve } from '#http/handler.ts';
import { logger, metrics } from '#http/observability.ts';
import { auditCaseRoute } from '#http/routes/admin.ts';
import { cases } from '../deps.ts';

const deps = { cases: cases() };

export const handler = serve([
  on(auditCaseRoute, async ({ actor, params }) => {
    const report = await verifyAudit(deps, params.radicado, actor);
    if (!report.ok) {
      logger.warn('audit trail broken', {
        radicado: params.radicado,
        brokenAt: report.brokenAt,
        reason: report.reason,
      });
      metrics.addMetric('AuditTrailBroken', 'Count', 1);
    }
    return { status: 200, body: report };
  }),
]);
