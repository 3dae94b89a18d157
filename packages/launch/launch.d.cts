/** Run the CommonJS bundle at `bundle` as the main program, through V8's code cache kept in ~/.cache/<program>. */
export declare function launch(bundle: string, program: string): void;
/** Write all of `bytes` (a string as UTF-8) to `fd` synchronously, waiting out a full non-blocking pipe; a closed reader (EPIPE) ends it quietly. */
export declare function writeAllSync(fd: number, bytes: Buffer | string): void;
