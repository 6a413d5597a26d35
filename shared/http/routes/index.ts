/**
 * Every HTTP route of the API, by feature. Adding an endpoint is one declaration in its feature's
 * file (listed here) and one handler in the function it names: the CDK routes, the local API, the
 * OpenAPI document and the access-matrix test pick it up from this list.
 */
import type { RouteSpec } from '../route.ts';
import { ADMIN_ROUTES } from './admin.ts';
import { CASE_ROUTES } from './cases.ts';
import { DOCUMENT_ROUTES } from './documents.ts';
import { fileCaseRoute } from './filing.ts';
import { NOTICE_ROUTES } from './notices.ts';
import { PARTICIPATION_ROUTES } from './participation.ts';
import { PETITIONER_ROUTES } from './petitioner.ts';
import { PROPOSAL_ROUTES } from './proposals.ts';
import { PUBLIC_ROUTES } from './public.ts';
import { TRANSPARENCY_ROUTES } from './transparency.ts';

export const ROUTES: readonly RouteSpec[] = [
  fileCaseRoute,
  ...CASE_ROUTES,
  ...PETITIONER_ROUTES,
  ...DOCUMENT_ROUTES,
  ...ADMIN_ROUTES,
  ...PUBLIC_ROUTES,
  ...NOTICE_ROUTES,
  ...TRANSPARENCY_ROUTES,
  ...PROPOSAL_ROUTES,
  ...PARTICIPATION_ROUTES,
];
