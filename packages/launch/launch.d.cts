/** Run the CommonJS bundle at `bundle` as the main program, through V8's code cache kept in ~/.cache/<program>. */
export declare function launch(bundle: string, program: string): void;
