// Types of bin/source-stamp.js (plain JavaScript: it runs before anything is compiled).
export declare const SOURCE_ROOTS: string[];
export declare const STAMP_FILE: string;
export declare function sourceStamp(root: string): string;
export declare function distIsCurrent(root: string): boolean;
