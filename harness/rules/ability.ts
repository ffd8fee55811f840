// Abilities: named things a target, a site or the runner can do for a plug-in ("a small file system
// for the restore", "a standby node at site B"). A plug-in names the abilities it needs; a provider
// declares the ones it has before anything starts (a need nobody meets is refused when the scenario
// is checked) and hands them over, typed, once it is started.
import { EnvironmentError } from "../model/errors.ts";

export interface Ability<T> {
  readonly name: string;
  /** What it is, as a message names it: "a small file system for the restore (a size-limited tmpfs)". */
  readonly what: string;
  /** The verb a message says a provider cannot do it with: "mount" ("... which the lab target cannot mount"). */
  readonly verb: string;
  /** Where a scenario gets it when no target provides it: "set destination: site". */
  readonly hint?: string;
  /** Never set: carries the type of what the provider hands over. */
  readonly _type?: (value: T) => void;
}

export type AnyAbility = Ability<any>;

export function defineAbility<T>(a: { name: string; what: string; verb?: string; hint?: string }): Ability<T> {
  return { verb: "provide", ...a };
}

/** What a started target or site hands over, by ability. */
export class AbilitySet {
  readonly #impl = new Map<string, unknown>();

  with<T>(ability: Ability<T>, impl: T): this {
    this.#impl.set(ability.name, impl);
    return this;
  }

  has(ability: AnyAbility): boolean {
    return this.#impl.has(ability.name);
  }

  get<T>(ability: Ability<T>): T | undefined {
    return this.#impl.get(ability.name) as T | undefined;
  }

  /** The ability, or an environment error (its need was checked before the run: a provider broke its word). */
  need<T>(ability: Ability<T>): T {
    if (!this.#impl.has(ability.name)) throw new EnvironmentError(`${ability.what} is not provided in this run`);
    return this.#impl.get(ability.name) as T;
  }

  names(): string[] {
    return [...this.#impl.keys()];
  }

  /** This set and another's (the other's win on a name both have). */
  join(other: AbilitySet | undefined): AbilitySet {
    const out = new AbilitySet();
    for (const [k, v] of this.#impl) out.#impl.set(k, v);
    if (other) for (const [k, v] of other.#impl) out.#impl.set(k, v);
    return out;
  }
}
