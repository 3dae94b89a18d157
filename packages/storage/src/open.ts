import { realpath } from 'node:fs/promises';
import type { BlockDevice, CacheMode, ImageFormat } from './block/device.js';
import { invalidArgument, systemError, unsupported } from './errors.js';
import type { CreateRequest, FormatDriver, OpenContext } from './formats.js';
import { ImageFile } from './io/image-file.js';
import { PROBE_BYTES, probeFormat, type ProbedFormat } from './probe.js';
import { qcow2Driver } from './qcow2/driver.js';
import { rawDriver } from './raw/driver.js';
import { vmdkDriver } from './vmdk/driver.js';

const drivers = new Map<ImageFormat, FormatDriver>([
  ['raw', rawDriver],
  ['qcow2', qcow2Driver],
  ['vmdk', vmdkDriver],
]);

/** Make another format available to openImage and createImage. */
export function registerFormat(driver: FormatDriver): void {
  drivers.set(driver.name, driver);
}

export function formatDriver(name: string): FormatDriver {
  const driver = drivers.get(name as ImageFormat);
  if (!driver) throw unsupported(`Unknown driver '${name}'`);
  return driver;
}

export interface OpenImageOptions {
  /** The format; probed from the file's first bytes when not given. */
  format?: ImageFormat;
  readOnly?: boolean;
  /** Open the backing chain as well (default true). */
  openBacking?: boolean;
  /** See OpenContext.metadataOnly. */
  metadataOnly?: boolean;
  /** See OpenContext.forCheck. */
  forCheck?: boolean;
  /** Real paths of images open above this one: the chain may not hold them (a rebase onto a chain that holds the image itself). */
  openAbove?: readonly string[];
  /** See CacheMode (default writeback). */
  cache?: CacheMode;
}

export interface OpenedImage {
  device: BlockDevice;
  /** The format was probed and the probe found nothing but raw (qemu-img warns about this). */
  probedRaw: boolean;
}

/** Read the first bytes of a file and name its format. */
export async function probeFile(path: string): Promise<ProbedFormat> {
  const file = await ImageFile.open(path, { readOnly: true });
  try {
    const head = Buffer.alloc(PROBE_BYTES);
    await file.read(0, head, 'zeros');
    return probeFormat(head);
  } finally {
    await file.close();
  }
}

/** Open an image, and (unless told otherwise) its backing chain. */
export async function openImage(path: string, options: OpenImageOptions = {}): Promise<OpenedImage> {
  const context: OpenContext = {
    readOnly: options.readOnly ?? false,
    openBacking: options.openBacking ?? true,
    chain: options.openAbove ?? [],
    probed: false,
    metadataOnly: options.metadataOnly ?? false,
    forCheck: options.forCheck ?? false,
    cache: options.cache ?? 'writeback',
  };
  return openInChain(path, options.format, context);
}

/**
 * Open one image of a chain: the format drivers call this for their backing
 * files, with the chain so far, so that a file cannot back itself.
 */
export async function openInChain(path: string, format: ImageFormat | undefined, context: OpenContext): Promise<OpenedImage> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    throw systemError(`Could not open '${path}'`, err);
  }
  if (context.chain.includes(real)) throw invalidArgument(`Backing file '${path}' would create a loop in the backing chain`);
  let name: ProbedFormat | ImageFormat | undefined = format;
  let probed = false;
  if (name === undefined) {
    name = await probeFile(path);
    probed = true;
  }
  const driver = drivers.get(name as ImageFormat);
  if (!driver) throw unsupported(`the image format '${name}' is not supported`);
  const device = await driver.open(path, { ...context, chain: [...context.chain, real], probed });
  return { device, probedRaw: probed && name === 'raw' };
}

/** Create an image file of the given format. */
export async function createImage(format: ImageFormat, request: CreateRequest): Promise<void> {
  if (!Number.isSafeInteger(request.size) || request.size < 0) throw invalidArgument(`Invalid image size specified: ${request.size}`);
  await formatDriver(format).create(request);
}

/** The formats registered so far, by name. */
export function registeredFormats(): ImageFormat[] {
  return [...drivers.keys()];
}
