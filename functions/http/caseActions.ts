/** Officers act on a case (the lifecycle), read its history, register verbal petitions. */
import { actOnCase, caseOfActor } from '#app/actOnCase.ts';
import { answerAnalogous } from '#app/analogous.ts';
import { caseHistory } from '#app/readCases.ts';
import { registerVerbal } from '#app/registerVerbal.ts';
import { on, serve } from '#http/handler.ts';
import { localeOf } from '#http/problem.ts';
import {
  analogousAnswerRoute,
  caseActionRoute,
  caseHistoryRoute,
  registerVerbalRoute,
} from '#http/routes/cases.ts';
import { cases, clock, documents, entities, fileCaseDeps, publications } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock, filing: fileCaseDeps, documents };

export const handler = serve([
  on(caseActionRoute, async ({ actor, params, headers, body }) => {
    const result = await actOnCase(deps, actor, {
      radicado: params.radicado,
      ifMatch: headers['if-match'],
      action: body,
    });
    return {
      status: 200,
      body: { case: result.case, ...(result.linked ? { linked: result.linked } : {}) },
      headers: { etag: result.etag },
    };
  }),
  on(analogousAnswerRoute, async ({ actor, body, rawHeaders }) => {
    const locale = localeOf(rawHeaders['accept-language']);
    const report = await answerAnalogous({ ...deps, publications: publications() }, actor, body);
    return {
      status: 200,
      body: { ...report, refused: report.refused.map((r) => ({ ...r, detail: r.detail[locale] })) },
      headers: { 'content-language': locale, vary: 'Accept-Language' },
    };
  }),
  on(caseHistoryRoute, async ({ actor, params }) => {
    const record = await caseOfActor(deps.cases, actor, params.radicado);
    return { status: 200, body: await caseHistory(deps, record) };
  }),
  on(registerVerbalRoute, async ({ actor, body, headers }) => {
    const key = headers['idempotency-key'];
    const filed = await registerVerbal({ ...(await fileCaseDeps()), documents }, actor, {
      filing: body.filing,
      record: body.record,
      ...(key ? { idempotency: { key, request: body } } : {}),
    });
    return { status: 201, body: filed };
  }),
]);
