import type { FormatDriver } from '../formats.js';
import { QCOW2_AMEND_OPTIONS } from './amend.js';
import { createQcow2 } from './create.js';
import { Qcow2Image } from './image.js';
import { measureQcow2 } from './measure.js';
import { QCOW2_CREATE_OPTIONS } from './options.js';

export const qcow2Driver: FormatDriver = {
  name: 'qcow2',
  createOptions: QCOW2_CREATE_OPTIONS,
  amendOptions: QCOW2_AMEND_OPTIONS,
  open: (path, context) => Qcow2Image.open(path, context),
  create: createQcow2,
  measure: measureQcow2,
};
