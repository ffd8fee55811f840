// Every backup tool drdrill can drive, by name. A new tool is one file plus one line here.
import type { ToolAdapter } from "./tool.ts";
import duplicity from "./duplicity.ts";

export const TOOLS: Record<string, ToolAdapter<any>> = {
  [duplicity.name]: duplicity,
};
