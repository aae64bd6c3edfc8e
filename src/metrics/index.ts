export { createMetrics, OVERFLOW_LABEL } from './registry';
export type { Metrics, MetricsOptions, RouteSeries, TwilioResource } from './registry';
export { requestMetrics, routeLabel, UNMATCHED_ROUTE } from './http';
export { instrumentTwilioHttp, twilioResource } from './twilio-http';
