// A zod object that must have exactly one of the given keys: a tagged union that reads well in YAML
// (`- backup: full`, `- fault: { delete-path: { path: . } }`).
import { z } from "zod";

export function exactlyOne<T extends z.ZodRawShape>(shape: T, what: string) {
  const keys = Object.keys(shape);
  return z.preprocess(
    (raw, ctx) => {
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
      const present = Object.keys(raw);
      const unknown = present.filter((k) => !keys.includes(k));
      for (const k of unknown)
        ctx.addIssue({
          code: "custom",
          message: `unknown ${what} "${k}" (known: ${keys.join(", ")})`,
          path: [k],
          input: raw,
        });
      if (unknown.length === 0 && present.length !== 1) {
        ctx.addIssue({
          code: "custom",
          message: `a ${what} has exactly one of: ${keys.join(", ")} (found ${present.length})`,
          input: raw,
        });
      }
      return Object.fromEntries(Object.entries(raw).filter(([k]) => keys.includes(k)));
    },
    z.object(shape).partial().strict().meta({ minProperties: 1, maxProperties: 1 }),
  );
}
