/**
 * The V1 sub-resource allow-list (docs/protocol.md, "Signature V1"): a query key is part of the V1
 * CanonicalizedResource iff it is in this table or starts with `x-oss-`. The table is the union of
 * the official SDK lists (Go/Python/Java v1 and v2, the API reference, Go v2's per-operation names),
 * so that every key any SDK signs is signed here too. Pagination and filter keys (prefix, marker,
 * max-keys, list-type, delimiter, start-after, …) are in none of them and are never signed.
 */

const NAMES = `
  acl append asyncFetch bucketArchiveDirectRead bucketInfo callback callback-var cleanRestoredObject
  cloudboxes cname comp continuation-token cors dataPipeline delete encryption endTime group
  httpsConfig img inventory inventoryId legalHold lifecycle link live location logging metaQuery
  MetaQuery objectInfo objectMeta objectWorm overwriteConfig partNumber policy policyStatus position
  processConfiguration publicAccessBlock qos qosInfo qosRequester redundancyTransition referer
  regionList regions replication replicationLocation replicationProgress requesterQosInfo
  requestPayment resourceGroup resourcePool resourcePoolBuckets resourcePoolInfo responseHeader
  restore retention rtc seal security-token sequential startTime stat status style styleName symlink
  tagging transferAcceleration udf udfApplication udfApplicationLog udfId udfImage udfImageDesc
  udfName uploadId uploads userDefinedLogFieldsConfig versioning versionId versions vip vod vpcip
  website withHashContext worm wormExtend wormId
  accessPoint accessPointConfigForObjectProcess accessPointForObjectProcess accessPointPolicy
  accessPointPolicyForObjectProcess
  DeleteVectorIndex GetVectorIndex ListVectorIndexes PutVectorIndex
  response-cache-control response-content-disposition response-content-encoding
  response-content-language response-content-type response-expires
`;

/** The allow-list proper (exact, case-sensitive names). */
export const V1_SUB_RESOURCES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));

/**
 * Whether a (decoded) query key is signed in V1.
 * @example isV1SubResource('uploadId') // true
 * @example isV1SubResource('x-oss-process') // true
 * @example isV1SubResource('prefix') // false
 */
export function isV1SubResource(name: string): boolean {
  return V1_SUB_RESOURCES.has(name) || name.startsWith('x-oss-');
}
