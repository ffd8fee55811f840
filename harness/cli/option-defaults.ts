// The defaults the command line shows in --help, in a module with no imports: main.ts declares every
// command with them before any command's own module is loaded.
/** `drdrill compare --threshold`: the smallest relative change that counts. */
export const DEFAULT_THRESHOLD = "10%";
/** `drdrill compare --min-change`: the smallest absolute change that counts. */
export const DEFAULT_MIN_CHANGE = "1s,bytes=1MB,memory=8MB";
/** `drdrill history --out`. */
export const DEFAULT_HISTORY_OUT = "history.html";
