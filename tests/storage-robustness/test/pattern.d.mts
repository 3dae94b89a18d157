export declare function pattern(n: number, length: number): Buffer;
