import { describe, expect, it } from 'vitest';
import { routeRequest, type RouteInput } from '../../src/emulator/handlers/index.js';

const req = (method: string, level: 'bucket' | 'object', query: Record<string, string> = {}): RouteInput => ({
  method,
  bucket: 'b',
  key: level === 'object' ? 'k' : undefined,
  query,
  headers: {},
});
const op = (input: RouteInput) => routeRequest(input).operation;

describe('routes of SelectObject, LiveChannel and GetBucketStat', () => {
  it('names each operation', () => {
    expect(op(req('POST', 'object', { 'x-oss-process': 'csv/select' }))).toBe('SelectObject');
    expect(op(req('POST', 'object', { 'x-oss-process': 'json/select' }))).toBe('SelectObject');
    expect(op(req('POST', 'object', { 'x-oss-process': 'csv/meta' }))).toBe('CreateSelectObjectMeta');
    expect(op(req('GET', 'bucket', { stat: '' }))).toBe('GetBucketStat');
    expect(op(req('GET', 'bucket', { live: '', prefix: 'c', marker: 'm', 'max-keys': '2' }))).toBe('ListLiveChannel');
    expect(op(req('PUT', 'object', { live: '' }))).toBe('PutLiveChannel');
    expect(op(req('PUT', 'object', { live: '', status: 'disabled' }))).toBe('PutLiveChannelStatus');
    expect(op(req('GET', 'object', { live: '' }))).toBe('GetLiveChannelInfo');
    expect(op(req('GET', 'object', { live: '', comp: 'stat' }))).toBe('GetLiveChannelStat');
    expect(op(req('GET', 'object', { live: '', comp: 'history' }))).toBe('GetLiveChannelHistory');
    expect(op(req('DELETE', 'object', { live: '' }))).toBe('DeleteLiveChannel');
    expect(op(req('GET', 'object', { vod: '', startTime: '1', endTime: '2' }))).toBe('GetVodPlaylist');
    expect(op(req('POST', 'object', { vod: '', startTime: '1', endTime: '2' }))).toBe('PostVodPlaylist');
  });

  it('refuses what they do not cover: other processes 501, other verbs 405, unknown comp 501', () => {
    expect(routeRequest(req('POST', 'object', { 'x-oss-process': 'image/resize,w_10' })).refusal?.status).toBe(501);
    expect(routeRequest(req('GET', 'object', { 'x-oss-process': 'csv/select' })).refusal?.status).toBe(405);
    expect(routeRequest(req('POST', 'object', { live: '' })).refusal?.status).toBe(405);
    expect(routeRequest(req('PUT', 'bucket', { stat: '' })).refusal?.status).toBe(405);
    expect(routeRequest(req('GET', 'object', { live: '', comp: 'other' })).refusal?.status).toBe(501);
  });
});
