/**
 * A Cloudflare Worker module, bundled by workerd.test.ts with esbuild the way wrangler does (the
 * `workerd`/`worker`/`browser` conditions pick the browser build): on each request it runs the
 * runtime scenario through the fetch transport against the emulator named by the SETUP binding, and
 * answers with the report as JSON.
 */
import { OssClient } from 'osskit';
import { runScenario } from './scenario.js';

interface Env {
  SETUP: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const { prefix, ...options } = JSON.parse(env.SETUP) as { prefix: string } & ConstructorParameters<typeof OssClient>[0];
    const client = new OssClient(options);
    try {
      const report = await runScenario(client, prefix, `workerd (${navigator.userAgent})`);
      return Response.json({ ok: true, report });
    } catch (error) {
      return Response.json({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    } finally {
      await client.close();
    }
  },
};
