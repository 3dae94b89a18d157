export type { BlockDevice, BlockStatus, ImageFormat, Preallocation, ResizeOptions, WriteZeroesOptions } from './block/device.js';
export type { CreateOptionHelp, CreateRequest, FormatDriver, OpenContext } from './formats.js';
export type { CheckOptions, CheckReport, ImageDescription, InfoValue, MeasureRequest, MeasureResult, SnapshotInfo, SnapshotTable } from './block/introspect.js';
export { ImageFile, type OpenFileOptions } from './io/image-file.js';
export { probeFormat, PROBE_BYTES, type ProbedFormat } from './probe.js';
export { createImage, formatDriver, openImage, openInChain, probeFile, registerFormat, type OpenedImage, type OpenImageOptions } from './open.js';
export { RawImage } from './raw/raw-image.js';
export { corruptImage, invalidArgument, invalidOperation, systemError, unsupported } from './errors.js';
