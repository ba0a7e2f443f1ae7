/** Thrown for a refused bind; the CLI prints its message as is. */
export class HostConfigError extends Error {}
