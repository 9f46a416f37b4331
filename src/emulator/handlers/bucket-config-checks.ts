/**
 * What OSS refuses in the rich bucket configurations, so a test against the emulator fails where
 * it would fail against OSS: lifecycle rules without a status or an action, unknown storage
 * classes, website documents with nothing in them or malformed routing rules, a referer document
 * without AllowEmptyReferer.
 */
import { EmulatorError } from '../context.js';
import { childText, children, type ParsedXml } from '../xml.js';
import { malformedXml } from './common.js';

function invalid(message: string, name: string, value = ''): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });
}

const has = (node: ParsedXml, tag: string) => children(node, tag).length > 0;

function positiveInt(node: ParsedXml | undefined, tag: string): void {
  const value = childText(node, tag);
  if (value !== undefined && !/^[1-9]\d*$/.test(value.trim())) throw invalid(`${tag} must be a positive integer.`, tag, value);
}

const TRANSITION_CLASSES = ['IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const ACTIONS = ['Expiration', 'Transition', 'AbortMultipartUpload', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition'];

export function checkLifecycle(root: ParsedXml): void {
  const rules = children(root, 'Rule');
  if (rules.length === 0 || rules.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules) {
    const status = childText(rule, 'Status');
    if (status !== 'Enabled' && status !== 'Disabled') throw malformedXml();
    const id = childText(rule, 'ID');
    if (id) {
      if (ids.has(id)) throw invalid('Rule ID must be unique.', 'ID', id);
      ids.add(id);
    }
    if (!ACTIONS.some((action) => has(rule, action))) throw invalid('A rule needs at least one action.', 'Rule', id ?? '');
    for (const action of ['Expiration', 'AbortMultipartUpload', 'Transition']) {
      for (const node of children(rule, action)) positiveInt(node, 'Days');
    }
    for (const transition of [...children(rule, 'Transition'), ...children(rule, 'NoncurrentVersionTransition')]) {
      const storageClass = childText(transition, 'StorageClass') ?? '';
      if (!TRANSITION_CLASSES.includes(storageClass)) throw invalid('Invalid StorageClass for a transition.', 'StorageClass', storageClass);
    }
  }
}

const REDIRECT_TYPES = ['Mirror', 'External', 'AliCDN'];

export function checkWebsite(root: ParsedXml): void {
  if (!has(root, 'IndexDocument') && !has(root, 'ErrorDocument') && !has(root, 'RoutingRules')) throw malformedXml();
  const rules = children(children(root, 'RoutingRules')[0], 'RoutingRule');
  if (rules.length > 20) throw invalid('At most 20 routing rules.', 'RoutingRule', String(rules.length));
  for (const rule of rules) {
    positiveInt(rule, 'RuleNumber');
    if (childText(rule, 'RuleNumber') === undefined) throw malformedXml();
    const redirect = children(rule, 'Redirect')[0];
    const type = childText(redirect, 'RedirectType') ?? '';
    if (!REDIRECT_TYPES.includes(type)) throw invalid('RedirectType must be Mirror, External or AliCDN.', 'RedirectType', type);
    if (type === 'Mirror' && !childText(redirect, 'MirrorURL')) throw invalid('A Mirror rule needs MirrorURL.', 'MirrorURL');
    const code = childText(redirect, 'HttpRedirectCode');
    if (code !== undefined && !['301', '302', '307'].includes(code)) throw invalid('HttpRedirectCode must be 301, 302 or 307.', 'HttpRedirectCode', code);
  }
}

export function checkReferer(root: ParsedXml): void {
  const allow = childText(root, 'AllowEmptyReferer');
  if (allow !== 'true' && allow !== 'false') throw malformedXml();
}
