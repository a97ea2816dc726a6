import type { AfterResponseMiddleware } from 'zapier-platform-core';

import { toZapierError } from '../api-errors.js';

/**
 * Throws the Zapier error that `toZapierError` builds for every response with status >= 400, unless the request set
 * `skipThrowForStatus` to handle the status itself. The app sets the `throwForThrottlingEarly: false` flag, so 429
 * responses reach this middleware too.
 */
export const handleApiErrors: AfterResponseMiddleware = (response, z) => {
  if (response.status < 400 || response.skipThrowForStatus) {
    return response;
  }
  throw toZapierError(z, response);
};
