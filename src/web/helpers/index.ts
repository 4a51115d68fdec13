import { eq } from './eq.js';
import { formatDate } from './format-date.js';
import { formatNumber } from './format-number.js';
import { t } from './t.js';

export const helpers = { t, eq, formatDate, formatNumber };
