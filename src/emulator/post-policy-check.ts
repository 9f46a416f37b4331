/**
 * Checks a PostObject form against its policy document (docs/protocol.md, "Form uploads"; OSS "Appendix: Policy"):
 * expiration, then every condition — exact matches `{ "field": "value" }`, `eq`, `starts-with`,
 * `in`, `not-in` and `content-length-range`.
 */
import { fromBase64, fromUtf8 } from '../integrity/hash.js';
import { EmulatorError } from './context.js';

/** What the conditions are evaluated against. */
export interface PolicySubject {
  bucket: string;
  /** The `key` field as sent (`${filename}` not yet substituted). */
  rawKey: string;
  /** The key the object will be stored under. */
  key: string;
  size: number;
  /** Text form fields by lower-case name. */
  field(name: string): string | undefined;
  now: Date;
}

export interface PolicyDocument {
  expiration: Date;
  conditions: unknown[];
}

function invalidPolicy(message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

function denied(message: string, ec?: string): EmulatorError {
  return new EmulatorError(403, 'AccessDenied', `Invalid according to Policy: ${message}`, ec ? { EC: ec } : {});
}

/**
 * Decodes the `policy` field: base64 of a JSON object holding exactly `expiration` and `conditions`.
 * @example decodePolicy(form.get('policy')!)
 */
export function decodePolicy(policyB64: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(fromUtf8(fromBase64(policyB64)));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const record = doc as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (name !== 'expiration' && name !== 'conditions') throw invalidPolicy(`Unexpected field ${name}.`);
  }
  if (typeof record.expiration !== 'string') throw invalidPolicy('Policy has no expiration.');
  const expiration = new Date(record.expiration);
  if (Number.isNaN(expiration.getTime())) throw invalidPolicy('Invalid expiration.');
  if (!Array.isArray(record.conditions)) throw invalidPolicy('Policy has no conditions.');
  if (record.conditions.length === 0) throw invalidPolicy('Conditions must not be empty.');
  return { expiration, conditions: record.conditions };
}

/** `$key` → `key`; OSS also accepts the name without `$`. */
function fieldName(ref: unknown): string {
  if (typeof ref !== 'string' || ref === '') throw invalidPolicy('Condition field must be a string.');
  return (ref.startsWith('$') ? ref.slice(1) : ref).toLowerCase();
}

/** The values a condition may match: both the raw and the substituted key count for `key`. */
function candidates(name: string, subject: PolicySubject): string[] | undefined {
  if (name === 'bucket') return [subject.bucket];
  if (name === 'key') return [subject.key, subject.rawKey];
  const value = subject.field(name);
  return value === undefined ? undefined : [value];
}

/** Fields whose values never appear in an error message (a token is a credential). */
const SECRET_FIELDS = new Set(['x-oss-security-token']);

function isSecretRef(ref: unknown): boolean {
  return typeof ref === 'string' && SECRET_FIELDS.has((ref.startsWith('$') ? ref.slice(1) : ref).toLowerCase());
}

/** The condition as OSS quotes it, with the values of secret fields masked. */
function describeCondition(condition: unknown): string {
  if (Array.isArray(condition)) {
    return JSON.stringify(isSecretRef(condition[1]) ? [condition[0], condition[1], '***'] : condition);
  }
  if (typeof condition === 'object' && condition !== null) {
    const masked = Object.entries(condition).map(([ref, value]) => [ref, isSecretRef(ref) ? '***' : value]);
    return JSON.stringify(Object.fromEntries(masked));
  }
  return JSON.stringify(condition);
}

function conditionFailed(condition: unknown): EmulatorError {
  return denied(`Policy Condition failed: ${describeCondition(condition)}`, '0006-00000227');
}

function checkList(condition: unknown[], subject: PolicySubject): void {
  const [op, ...args] = condition;
  if (typeof op !== 'string') throw invalidPolicy('Condition operator must be a string.');
  switch (op.toLowerCase()) {
    case 'content-length-range': {
      const [min, max] = args.map(Number);
      if (args.length !== 2 || !Number.isFinite(min) || !Number.isFinite(max)) throw invalidPolicy('Invalid content-length-range.');
      if (subject.size > max!) throw new EmulatorError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
      if (subject.size < min!) throw new EmulatorError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.');
      return;
    }
    case 'eq':
    case 'starts-with': {
      if (args.length !== 2 || typeof args[1] !== 'string') throw invalidPolicy(`Invalid ${op} condition.`);
      const expected = args[1];
      const values = candidates(fieldName(args[0]), subject);
      const ok = values?.some((v) => (op.toLowerCase() === 'eq' ? v === expected : v.startsWith(expected)));
      if (!ok) throw conditionFailed(condition);
      return;
    }
    case 'in':
    case 'not-in': {
      if (args.length !== 2 || !Array.isArray(args[1])) throw invalidPolicy(`Invalid ${op} condition.`);
      const list = args[1].map(String);
      const values = candidates(fieldName(args[0]), subject);
      const hit = values?.some((v) => list.includes(v)) ?? false;
      if (values === undefined || hit !== (op.toLowerCase() === 'in')) throw conditionFailed(condition);
      return;
    }
    default:
      throw invalidPolicy(`Unknown condition ${op}.`);
  }
}

/**
 * Throws the error OSS answers when the form breaks its policy: 403 AccessDenied for an expired policy
 * or a failed condition, 400 EntityTooLarge/EntityTooSmall for `content-length-range`.
 * `requiredExact` names fields that must appear as exact-match conditions (the V4 fields, §5.2).
 * @example checkPolicy(decodePolicy(policy), subject, ['x-oss-credential'])
 */
export function checkPolicy(policy: PolicyDocument, subject: PolicySubject, requiredExact: readonly string[] = []): void {
  if (policy.expiration.getTime() <= subject.now.getTime()) throw denied('Policy expired.', '0006-00000228');
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      checkList(condition, subject);
      if (condition.length === 3 && String(condition[0]).toLowerCase() === 'eq') covered.add(fieldName(condition[1]));
      continue;
    }
    if (typeof condition !== 'object' || condition === null) throw invalidPolicy('Condition must be a map or a list.');
    for (const [ref, expected] of Object.entries(condition)) {
      const name = fieldName(ref);
      if (typeof expected !== 'string') throw invalidPolicy(`Invalid condition for ${ref}.`);
      if (!candidates(name, subject)?.some((v) => v === expected)) throw conditionFailed(condition);
      covered.add(name);
    }
  }
  for (const name of requiredExact) {
    if (!covered.has(name)) throw denied(`Extra Field: ${name}`);
  }
}
