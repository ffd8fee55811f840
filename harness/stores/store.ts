// The interface of a store at site B (`destination.site.store`): how the site keeps what arrives
// there. A store is one file plus a line in stores/registry.ts; it starts the site, says what it
// provides to the plug-ins (abilities), and carries its rules (a tool it cannot hold is refused at
// validation, against the run as the command line resolved it).
import type { AnyAbility } from "../rules/ability.ts";
import type { Problem, RuleContext } from "../rules/context.ts";
import type { SiteSettings } from "../site/site-settings.ts";
import type { SiteOptions, StartedSite } from "../site/site.ts";
import type { ToolAdapter } from "../tools/tool.ts";

/** What a store's rules see: the run as resolved, and the tool that would write to it. */
export interface StoreRuleContext extends RuleContext {
  readonly adapter: ToolAdapter;
}

export interface StoreDef {
  /** Its value of `destination.site.store`. */
  name: string;
  description: string;
  /** What it provides beyond site B itself (site-abilities.ts says what every site provides). */
  provides?: readonly AnyAbility[];
  /** Its rules: problems placed at `destination.site.store`, or at a field they name. */
  validate?(site: SiteSettings, ctx: StoreRuleContext): Problem[];
  /** Stands the site up with this store (cleanup is the started site's `stop`). */
  start(site: SiteSettings, opts: SiteOptions): Promise<StartedSite>;
}

export function defineStore(store: StoreDef): StoreDef {
  return store;
}
