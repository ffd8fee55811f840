#!/usr/bin/env node
// Entry point: loads the TypeScript harness through tsx and runs the CLI.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../harness/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
