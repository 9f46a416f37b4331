/**
 * RestoreObject: `POST /key?restore` makes a temporary readable copy of an Archive, ColdArchive or
 * DeepColdArchive object. OSS answers 202 when it starts, 200 when the object is already restored
 * (the expiry is extended) and 409 RestoreAlreadyInProgress meanwhile; HeadObject's `restore`
 * field tells how far it is.
 */
import { invalidArgument } from '../../errors.js';
import { md5, toBase64 } from '../../integrity/hash.js';
import { validateIntRange } from '../validate.js';
import { buildXml } from '../xml.js';
import type { BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';

export interface RestoreObjectInput extends ObjectSubresourceInput {
  /** How long the restored copy stays readable, 1–365 days (OSS default 1). */
  days?: number;
  /** ColdArchive / DeepColdArchive retrieval speed. */
  tier?: 'Expedited' | 'Standard' | 'Bulk';
}

export interface RestoreObjectOutput extends BaseOutput {
  /** 202: the restore started; 200: the object was already restored. */
  status: number;
  /** ColdArchive: the retrieval priority OSS applied (`x-oss-object-restore-priority`). */
  restorePriority?: string;
  versionId?: string;
}

/**
 * @example
 * await client.restoreObject({ key: 'logs/2019.tar', days: 2, tier: 'Bulk' });
 */
export const restoreObject: Command<RestoreObjectInput, RestoreObjectOutput> = {
  name: 'RestoreObject',
  serialize(input) {
    validateIntRange('days', input.days, 1, 365);
    if (input.tier !== undefined && !['Expedited', 'Standard', 'Bulk'].includes(input.tier)) {
      throw invalidArgument(`tier must be Expedited, Standard or Bulk, not "${String(input.tier)}"`);
    }
    if (input.days === undefined && input.tier === undefined) return objectSubresourceRequest('POST', 'RestoreObject', 'restore', input);
    const xml = buildXml('RestoreRequest', {
      Days: input.days ?? 1,
      JobParameters: input.tier === undefined ? undefined : { Tier: input.tier },
    });
    const body = new TextEncoder().encode(xml);
    const headers = { 'content-type': 'application/xml', 'content-md5': toBase64(md5(body)) };
    return { ...objectSubresourceRequest('POST', 'RestoreObject', 'restore', input, headers), body };
  },
  async deserialize(response) {
    const output: RestoreObjectOutput = { requestId: requestIdOf(response), status: response.status };
    if (response.headers['x-oss-object-restore-priority']) output.restorePriority = response.headers['x-oss-object-restore-priority'];
    if (response.headers['x-oss-version-id']) output.versionId = response.headers['x-oss-version-id'];
    return output;
  },
};
