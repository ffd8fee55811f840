// The replicators' rules: both need site B; mariadb-replication needs a standby node there (a target
// that starts one: the lab), a site drdrill stands up (the standby runs in its network and on its
// disk) and hot mode; lsyncd's plain folder is no failover for a target whose standby runs services.
// And cp, which cannot write to a site at all.
import { describe, expect, it } from "vitest";
import { problems, scenario } from "../../helpers/rules.ts";

const STEPS = ["backup: full", "fault: { site-loss: {} }", "restore: latest"];
const STANDBY_ON_LOCAL =
  "mariadb-replication needs a standby node at site B, which the local target cannot start (target: lab can)";

describe("replication tool rules", () => {
  it("a replicator needs a secondary site", () => {
    expect(problems(scenario("[lsyncd]", ["backup: full", "restore: latest"]))).toEqual([
      "2:tools[0]: lsyncd needs a secondary site (site B): set destination: site",
    ]);
  });

  it("mariadb-replication: a standby node, a site drdrill stands up, hot mode", () => {
    const text = (more: string) => scenario("[mariadb-replication]", STEPS, `destination: site\nmode: hot\n${more}`);
    expect(problems(text("target: lab\n"))).toEqual([]);
    expect(problems(text(""))).toEqual([`4:tools[0]: ${STANDBY_ON_LOCAL}`]);
    // --target local on a lab scenario: refused the same way (issue 24: it used to run, and end in error)
    expect(problems(text("target: lab\n"), { overrides: { target: "local" } })).toEqual([
      `5:tools[0]: ${STANDBY_ON_LOCAL}`,
    ]);
    const onHost = scenario(
      "[mariadb-replication]",
      STEPS,
      "target: lab\nmode: hot\ndestination: { site: { host: b.example, identityFile: /k, knownHostsFile: /h } }\n",
    );
    expect(problems(onHost)).toEqual([
      "5:tools[0]: mariadb-replication needs a site drdrill stands up (a container with its own network and disk): " +
        "leave out destination.site.host",
    ]);
    expect(problems(text("target: lab\n").replace("mode: hot", "mode: cold"))).toEqual([
      expect.stringMatching(/^3:mode: mariadb-replication replicates a running database: set mode: hot/),
    ]);
  });

  it("lsyncd on a target whose standby runs its services is refused; on local it is fine", () => {
    const text = scenario("[lsyncd]", STEPS, "destination: site\nmode: hot\n");
    expect(problems(text)).toEqual([]);
    expect(problems(text, { overrides: { target: "lab" } })).toEqual([
      expect.stringMatching(/^4:tools\[0\]: lsyncd mirrors files to a plain folder at site B, but the lab target/),
    ]);
  });

  it("cp cannot write to a site", () => {
    expect(problems(scenario("[cp]", ["backup: full", "restore: latest"], "destination: site\n"))).toEqual([
      expect.stringMatching(
        /^3:tools\[0\]: cp makes copies on the target's own file system only.*\(destination: site\)$/,
      ),
    ]);
  });
});
