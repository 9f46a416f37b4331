/**
 * Bucket CORS rules (PutBucketCors documents) applied the way OSS applies them: to preflight
 * `OPTIONS` requests (the OptionObject API) and to every actual answer — errors included — whose
 * request carries a matching `Origin`.
 */
import type { BucketRecord, EmulatorResponse } from './context.js';
import { EmulatorError } from './context.js';
import { childText, children, parseXml } from './xml.js';

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: string;
}

function texts(node: Parameters<typeof children>[0], name: string): string[] {
  return children(node, name)
    .map((c) => (typeof c === 'string' ? c.trim() : ''))
    .filter(Boolean);
}

/**
 * Reads the rules of a stored `<CORSConfiguration>`.
 * @example parseCorsRules('<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>…')
 */
export function parseCorsRules(xml: string): CorsRule[] {
  const root = parseXml(xml)?.['CORSConfiguration'];
  if (root === undefined || Array.isArray(root)) return [];
  return children(root, 'CORSRule').map((rule) => ({
    allowedOrigins: texts(rule, 'AllowedOrigin'),
    allowedMethods: texts(rule, 'AllowedMethod').map((m) => m.toUpperCase()),
    allowedHeaders: texts(rule, 'AllowedHeader'),
    exposeHeaders: texts(rule, 'ExposeHeader'),
    maxAgeSeconds: childText(rule, 'MaxAgeSeconds')?.trim() || undefined,
  }));
}

/** `*` in a pattern matches any run of characters (OSS allows one per origin or header). */
function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const regex = new RegExp(`^${p.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(v);
}

/** The first rule allowing this origin, method and (for preflight) these request headers. */
export function matchCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcardMatch(o, origin, false)) &&
      rule.allowedMethods.includes(method.toUpperCase()) &&
      requestHeaders.every((h) => rule.allowedHeaders.some((a) => wildcardMatch(a, h, true))),
  );
}

// Every answer consults the rules; parsing the same document again each time is wasted work.
const parsedRules = new Map<string, CorsRule[]>();

function rulesOf(bucket: BucketRecord | undefined): CorsRule[] | undefined {
  const xml = bucket?.configs.get('cors');
  if (xml === undefined) return undefined;
  let rules = parsedRules.get(xml);
  if (!rules) {
    if (parsedRules.size > 64) parsedRules.clear();
    rules = parseCorsRules(xml);
    parsedRules.set(xml, rules);
  }
  return rules;
}

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
  };
  if (rule.exposeHeaders.length) headers['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds) headers['Access-Control-Max-Age'] = rule.maxAgeSeconds;
  return headers;
}

/**
 * Headers to add to an actual answer: the rule's when `Origin` matches, else none. `Vary: Origin`
 * is sent whenever the bucket has rules, since the answer then depends on the origin.
 */
export function corsHeaders(bucket: BucketRecord | undefined, origin: string | undefined, method: string): Record<string, string> {
  const rules = rulesOf(bucket);
  if (!rules) return {};
  const rule = origin === undefined ? undefined : matchCorsRule(rules, origin, method);
  return { ...(rule && origin !== undefined ? ruleHeaders(rule, origin) : {}), Vary: 'Origin' };
}

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.";

/**
 * OptionObject: answers a preflight from the bucket's rules, or 403 AccessForbidden.
 * @example preflight(bucket, { origin: 'http://app', requestMethod: 'PUT', requestHeaders: 'x-oss-date' })
 */
export function preflight(
  bucket: BucketRecord,
  request: { origin?: string; requestMethod?: string; requestHeaders?: string },
): EmulatorResponse {
  const { origin, requestMethod } = request;
  if (!origin || !requestMethod) {
    throw new EmulatorError(400, 'InvalidArgument', 'Origin and Access-Control-Request-Method are required.', {
      EC: '0014-00000002',
    });
  }
  const rules = rulesOf(bucket);
  if (!rules) {
    throw new EmulatorError(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', {
      EC: '0014-00000003',
    });
  }
  const requested = (request.requestHeaders ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const rule = matchCorsRule(rules, origin, requestMethod, requested);
  if (!rule) throw new EmulatorError(403, 'AccessForbidden', NOT_ALLOWED, { EC: '0014-00000004' });
  const headers = ruleHeaders(rule, origin);
  if (requested.length) headers['Access-Control-Allow-Headers'] = requested.join(', ');
  headers['Vary'] = 'Origin';
  return { status: 200, headers };
}
