/** Where the Open Badges 3.0 API and the page of authorised applications live. */
export const API_BASE = '/ims/ob/v3p0';
export const TOKENS_PATH = '/compte/acces';
