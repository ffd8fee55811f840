// The lab node's life: the drill's paths through it (cold backup, restore onto the same node, site
// loss and a fresh node at site B, a failed start) end where they should, and what makes no sense
// (starting a killed node's services, a restore while they run, a second replacement) is refused.
import { describe, expect, it } from "vitest";
import * as life from "../../harness/targets/lab/life.ts";
import type { LabLife } from "../../harness/targets/lab/life.ts";

type Life = LabLife<string>;
const seeded = (): Life => life.seeded(life.firstNode("node-1"));

describe("the lab node's life", () => {
  it("a cold backup and a restore onto the same node: stopped, started, the restored tree checked in full", () => {
    let l = life.checked(seeded());
    expect(l).toMatchObject({ state: "running", data: { kind: "seeded", checked: true } });
    l = life.resumed(life.quiesced(l), null);
    expect(l).toMatchObject({ state: "running", node: "node-1", origin: { kind: "first" } });
    expect(life.needsNewNode(l, "same-node")).toBe(false);
    l = life.dataReplaced(life.quiesced(l));
    expect(l).toMatchObject({ state: "stopped", data: { kind: "restored", hotCopy: false } });
    l = life.hotCopyUsed(l);
    l = life.checked(life.resumed(l, null));
    // a restored tree stays "restored": every later health check downloads every image again
    expect(l).toMatchObject({ state: "running", data: { kind: "restored", hotCopy: true } });
    expect(life.servicesRunning(l)).toBe(true);
  });

  it("site loss: killed, then replaced by a fresh node at site B that a restore fills", () => {
    let l = life.crashed(seeded());
    expect(l).toEqual({ state: "crashed", node: "node-1", origin: { kind: "first" } });
    expect(life.servicesRunning(l)).toBe(false);
    expect(life.needsNewNode(l, "same-node")).toBe(true);
    l = life.replacing(l);
    expect(() => life.nodeOf(l)).toThrow(/cannot be reached while replacing/);
    l = life.replaced(l, "node-2", { atSite: true, oldTokenBefore: 401 });
    expect(l).toEqual({
      state: "running",
      node: "node-2",
      origin: { kind: "fresh", atSite: true, oldTokenBefore: 401 },
      data: { kind: "own" },
    });
    // a fresh node is restored onto as it is
    expect(life.needsNewNode(l, "site")).toBe(false);
    l = life.dataReplaced(life.quiesced(l));
    expect(l).toMatchObject({ state: "stopped", node: "node-2", data: { kind: "restored" } });
  });

  it("restoreOnto fresh-node or site replaces the first node, and only that one", () => {
    const l = seeded();
    expect(life.needsNewNode(l, "fresh-node")).toBe(true);
    expect(life.needsNewNode(l, "site")).toBe(true);
    const fresh = life.replaced(life.replacing(l), "node-2", { atSite: false, oldTokenBefore: 401 });
    expect(() => life.replacing(fresh)).toThrow(life.RefusedTransition);
    // a fresh node killed with its site needs another
    expect(life.needsNewNode(life.crashed(fresh), "fresh-node")).toBe(true);
  });

  it("a failed start is kept for the health check, counts as started, and can be stopped again", () => {
    const l = life.resumed(life.quiesced(seeded()), "snap start microstack failed: exit 1");
    expect(l).toMatchObject({ state: "start-failed", error: "snap start microstack failed: exit 1" });
    expect(life.servicesRunning(l)).toBe(true);
    expect(life.quiesced(l)).toMatchObject({ state: "stopped", data: { kind: "seeded" } });
    expect(() => life.seeded(l)).toThrow(/cannot be seeded while start-failed/);
  });

  it("refuses what makes no sense, naming the state", () => {
    const crashed = life.crashed(seeded());
    expect(() => life.resumed(crashed, null)).toThrow("the lab node cannot start its services while crashed");
    expect(() => life.quiesced(crashed)).toThrow(/cannot stop its services while crashed/);
    expect(() => life.crashed(crashed)).toThrow(/cannot be killed while crashed/);
    expect(() => life.dataReplaced(crashed)).toThrow(/cannot have its data replaced while crashed/);
    expect(() => life.dataReplaced(seeded())).toThrow(/cannot have its data replaced while running/);
    expect(() => life.hotCopyUsed(life.quiesced(seeded()))).toThrow(/cannot use the hot copy/);
    expect(() => life.replaced(seeded(), "node-2", { atSite: false, oldTokenBefore: null })).toThrow(
      /cannot take a fresh node while running/,
    );
    const { life: gone, remove } = life.removed(seeded());
    expect(remove).toBe("node-1");
    expect(gone).toEqual({ state: "removed" });
    expect(life.removed(gone).remove).toBeNull();
    expect(() => life.resumed(gone, null)).toThrow(/while removed/);
  });

  it("checked() marks only seeded data: the node's own cloud or a restored tree stay as they are", () => {
    const own = life.firstNode("node-1");
    expect(life.checked(own)).toEqual(own);
    const restored = life.dataReplaced(life.quiesced(seeded()));
    expect(life.checked(restored)).toEqual(restored);
  });
});
