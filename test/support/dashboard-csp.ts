/** The dashboard's Content-Security-Policy, as routes/dashboard.ts sends it: pages that draw pictures must not loosen it. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; media-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
