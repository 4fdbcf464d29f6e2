// `POST /webhooks/hubspot` (issue #13): HubSpot's webhook deliveries for the app whose client
// secret is HUBSPOT_CLIENT_SECRET. No session: the v3 signature is the authentication (refused
// with 401: a missing or wrong signature, a timestamp more than 5 minutes away, a replay). A
// valid delivery is answered at once (HubSpot gives a delivery 5 seconds) and its deals are
// processed afterwards by the WebhookQueue, under the passes' lock. The body is read raw (the
// signature covers its exact bytes) and never logged: it holds deal values.
import type { FastifyInstance } from 'fastify';
import type { HubspotToSalesforce } from '../../engine/two-way/step.js';
import { dealEvents, webhookPayloadSchema } from '../../engine/two-way/webhook-events.js';
import { WebhookQueue } from '../../engine/two-way/webhook-queue.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../http-errors.js';
import { ReplayGuard, verifyV3 } from '../webhooks/signature.js';

export const HUBSPOT_WEBHOOK_PATH = '/webhooks/hubspot';
/** HubSpot sends at most 100 events a request; 1 MiB holds them with room to spare. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const REASONS = {
  unsigned: 'no X-HubSpot-Signature-v3 with an X-HubSpot-Request-Timestamp',
  stale: 'X-HubSpot-Request-Timestamp is more than 5 minutes away',
  'bad-signature': 'the X-HubSpot-Signature-v3 does not match (HUBSPOT_CLIENT_SECRET)',
  replayed: 'this delivery was taken already (a replay)',
} as const;

export function registerHubspotWebhooks(
  app: FastifyInstance,
  ctx: ServerContext,
  step: () => Promise<HubspotToSalesforce>,
): { idle(): Promise<void> } {
  const replays = new ReplayGuard();
  let queue: WebhookQueue | undefined;
  const queueOf = async () =>
    (queue ??= new WebhookQueue({
      step: await step(),
      salesforce: () => ctx.runtime.salesforce(),
      hubspot: () => ctx.runtime.hubspot(),
      store: ctx.runtime.store,
      serialize: (fn) => ctx.lock.run(fn),
      onError: (err) => app.log.warn({ event: 'webhook' }, `webhook processing failed: ${String(err)}`),
      onProcessed: () => ctx.hub.publish('sync', { webhook: true }),
    }));

  void app.register(async (sub) => {
    // Raw text for every type: the signature is over the body exactly as sent.
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    sub.post(HUBSPOT_WEBHOOK_PATH, async (req, reply) => {
      const secret = ctx.runtime.config.hubspot.clientSecret;
      if (!secret)
        return sendError(reply, 'not_found', 'HubSpot webhooks are off: set HUBSPOT_CLIENT_SECRET');
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const body = typeof req.body === 'string' ? req.body : '';
      const verdict = verifyV3(
        {
          method: req.method,
          uri: `${req.protocol}://${req.host}${req.url}`,
          body,
          signature: header('x-hubspot-signature-v3'),
          timestamp: header('x-hubspot-request-timestamp'),
        },
        secret,
        ctx.now().getTime(),
        replays,
      );
      if (!verdict.ok) {
        req.log.warn(
          { event: 'security' },
          `refused a HubSpot webhook from ${req.ip}: ${REASONS[verdict.reason]}`,
        );
        return sendError(reply, 'webhook_unauthorized', `Webhook refused: ${REASONS[verdict.reason]}.`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return sendError(reply, 'bad_request', 'The webhook body is not JSON.');
      }
      const payload = webhookPayloadSchema.safeParse(parsed);
      if (!payload.success)
        return sendError(reply, 'bad_request', 'The webhook body is not an array of events.');
      const events = dealEvents(payload.data);
      const taken = (await queueOf()).accept(events);
      return reply.code(200).send({ received: payload.data.length, ...taken });
    });
  });
  return { idle: async () => (queue ? queue.idle() : undefined) };
}
