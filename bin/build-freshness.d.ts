export declare const SOURCE_ROOTS: readonly string[];
export declare const SOURCE_FILES: readonly string[];
export declare const BUILT_FILES: readonly string[];
/** Whether out/ is older than the sources ('stale'), absent ('missing'), or fine. */
export declare function buildState(root: string): 'missing' | 'stale' | 'fresh' | 'no-sources';
