/** Everything the test page uses, from the browser entry (plus the XHR transport, tested on its own). */
export { OssClient } from '../../src/index.browser.js';
export type { Credentials } from '../../src/credentials/credentials.js';
export type { Progress } from '../../src/commands/types.js';
export { createXhrTransport } from '../../src/transport/xhr.js';
