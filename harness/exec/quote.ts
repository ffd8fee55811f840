// Shell quoting for displaying commands exactly as they could be re-run.
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function displayCommand(command: string, args: string[], envNames: string[] = []): string {
  const env = envNames.map((n) => `${n}=***`);
  return [...env, command, ...args].map((a, i) => (i < env.length ? a : shellQuote(a))).join(" ");
}
