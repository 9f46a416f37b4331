// The explicit Node entry: same declarations as `osskit` under the `node` condition.
import { OssClient, verifyCallback, type UploadFileInput } from 'osskit/node';

export function uploadBoth(client: OssClient, input: UploadFileInput): Promise<unknown> {
  return Promise.all([client.uploadFile(input), verifyCallback({ url: '/', headers: {}, body: '' })]);
}
