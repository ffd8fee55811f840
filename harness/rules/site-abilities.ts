// What a secondary site ("site B") provides to plug-ins: itself, and where drdrill stands it up (a
// container), its own network and packet filter. Declared from the scenario's destination before
// anything starts, handed over by the started site. What its store provides beyond these (an object
// store's own abilities) the store's definition declares, and the started site hands over too.
import type { SiteFirewall } from "../net/firewall.ts";
import type { SiteSettings } from "../site/site-settings.ts";
import type { StartedSite } from "../site/site.ts";
import { AbilitySet, defineAbility, type AnyAbility } from "./ability.ts";

export const secondarySite = defineAbility<StartedSite>({
  name: "secondary-site",
  what: "a secondary site (site B)",
  hint: "set destination: site",
});

export const standUpSite = defineAbility<StartedSite>({
  name: "stand-up-site",
  what: "a site drdrill stands up (a container with its own network and disk)",
  hint: "leave out destination.site.host",
});

export const siteFirewall = defineAbility<SiteFirewall>({
  name: "site-firewall",
  what: "the packet filter of a site drdrill stands up (its own network namespace)",
  hint: "leave out destination.site.host (a host drdrill does not own keeps its network to itself)",
});

/** What a destination provides, known before anything starts. */
export function siteProvides(spec: SiteSettings | null): AnyAbility[] {
  if (!spec) return [];
  return spec.host ? [secondarySite] : [secondarySite, standUpSite, siteFirewall];
}

/** What a started site hands over. */
export function siteAbilities(site: StartedSite): AbilitySet {
  const set = new AbilitySet().with(secondarySite, site).join(site.abilities);
  if (site.kind === "container") set.with(standUpSite, site);
  if (site.firewall) set.with(siteFirewall, site.firewall);
  return set;
}
