// The network faults' rules (partition, packet-loss, bandwidth, latency, heal-network): they need a
// site B, and its packet filter (a site drdrill stands up); bandwidth needs a rate or a swept one.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

const HOST_SITE = "destination: { site: { host: b.example, identityFile: /k, knownHostsFile: /h } }\n";

describe("network fault rules", () => {
  it.each(["partition: {}", "packet-loss: { percent: 5 }", "bandwidth: { rate: 1MB/s }", "latency: { delay: 5ms }"])(
    "%s needs a secondary site, and its packet filter",
    (fault) => {
      const steps = ["backup: full", `fault: { ${fault} }`, "restore: latest"];
      const name = fault.split(":")[0];
      expect(problems(scenario("[restic]", steps))).toEqual([
        `5:steps[1].fault.${name}: ${name} needs a secondary site (site B): set destination: site`,
      ]);
      expect(problems(scenario("[restic]", steps, HOST_SITE))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^6:steps\\[1\\]\\.fault\\.${name}: ${name} needs the packet filter .*leave out destination\\.site\\.host`,
          ),
        ),
      ]);
      expect(problems(scenario("[restic]", steps, "destination: site\n"))).toEqual([]);
    },
  );

  it("heal-network needs a site only", () => {
    const steps = ["backup: full", "fault: { heal-network: {} }", "restore: latest"];
    expect(problems(scenario("[restic]", steps))).toHaveLength(1);
    expect(problems(scenario("[restic]", steps, HOST_SITE))).toEqual([]);
  });

  it("bandwidth needs a rate, or the scenario's sweep.bandwidth", () => {
    const steps = ["backup: full", "fault: { bandwidth: {} }", "restore: latest"];
    expect(problems(scenario("[restic]", steps, "destination: site\n"))).toEqual([
      "6:steps[1].fault.bandwidth.rate: a bandwidth fault needs a rate, or the scenario's sweep.bandwidth",
    ]);
    expect(problems(scenario("[restic]", steps, "destination: site\nsweep: { bandwidth: [1MB/s] }\n"))).toEqual([]);
  });
});
