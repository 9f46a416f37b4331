import { describe, expect, it } from 'vitest';
import { partRequest, uploadTarget } from '../../../src/commands/multipart/shared.js';
import { codeOf } from '../fixtures.js';

describe('multipart request shapes (src/commands/multipart/shared.ts)', () => {
  const ref = { bucket: 'b', key: 'k', uploadId: 'U' };

  it('names the upload target after checking bucket, key and uploadId', () => {
    expect(uploadTarget(ref, 'Op')).toEqual({ bucket: 'b', key: 'k' });
    expect(codeOf(() => uploadTarget({ ...ref, bucket: undefined }, 'Op'))).toBe('InvalidArgument');
    expect(codeOf(() => uploadTarget({ ...ref, key: '' }, 'Op'))).toBe('InvalidArgument');
    expect(codeOf(() => uploadTarget({ ...ref, uploadId: '' }, 'Op'))).toBe('InvalidArgument');
  });

  it('builds the part PUT and refuses part numbers outside 1–10000', () => {
    expect(partRequest({ ...ref, partNumber: 7 }, 'Op')).toEqual({
      method: 'PUT',
      bucket: 'b',
      key: 'k',
      query: { partNumber: '7', uploadId: 'U' },
    });
    expect(codeOf(() => partRequest({ ...ref, partNumber: 0 }, 'Op'))).toBe('InvalidArgument');
    expect(codeOf(() => partRequest({ ...ref, partNumber: 10_001 }, 'Op'))).toBe('InvalidArgument');
  });
});
