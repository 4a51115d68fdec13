import { csrfField } from './csrf-field.js';
import { and } from './and.js';
import { eq } from './eq.js';
import { formatDate } from './format-date.js';
import { formatNumber } from './format-number.js';
import { not } from './not.js';
import { or } from './or.js';
import { t } from './t.js';

export const helpers = { t, eq, or, formatDate, formatNumber, csrfField, and, not };
