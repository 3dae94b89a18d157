export { bench, type BenchOptions } from './bench.js';
export { commit, type CommitOptions } from './commit.js';
export { compare, CompareError, type CompareOptions, type CompareResult } from './compare.js';
export { convert, type ConvertOptions } from './convert.js';
export { dd, ddLength, type DdOptions } from './dd.js';
export { OperationError } from './failure.js';
export { mapImage, type MapEntry, type MapOptions } from './map.js';
export { rebase, type RebaseOptions } from './rebase.js';
