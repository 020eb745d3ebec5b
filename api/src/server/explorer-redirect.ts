import type { RequestHandler } from 'express';

/** Where the UI's API explorer lives (web/src/explorer). */
export const EXPLORER_PATH = '/#/explorer';

/**
 * GET /graphql from a browser (it prefers HTML to JSON) leads to the UI's API explorer, which runs
 * under the hub's own CSP with no outside network; Apollo's landing page (disabled) loaded its
 * scripts from a CDN. Programs asking for JSON go on to GraphQL as before.
 */
export function browserToExplorer(): RequestHandler {
  return (req, res, next) => {
    if (req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html') res.redirect(303, EXPLORER_PATH);
    else next();
  };
}
